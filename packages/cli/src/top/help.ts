import { fit } from './text.js';

const HELP = [
  'Keys',
  '  q              quit (also Ctrl-C)',
  '  ↑ ↓  k j       move the selection; PgUp PgDn Home End jump',
  '  enter          details and a bigger chart of the selected interface',
  '  esc            back from details; in the list, clears the filter',
  '  s              sort by: total → rx → tx → packets → errors → name',
  '  /              filter by name: type, enter applies, esc cancels',
  '  b              bits or bytes per second',
  '  ?              this help (any key closes it)',
  '',
  'Columns',
  '  RX TX          receive and transmit rate over the last interval',
  '  RX PPS TX PPS  packets per second',
  '  ERR/s DRP/s    errors and drops per second, receive + transmit',
  '  UTIL           the busier direction as a share of the link speed',
  '  ΣSTART         bytes received + transmitted since top started',
  '  ΣBOOT          the kernel counters: since the interface appeared',
  '  RX 1m TX 1m    the last minute, each line scaled to its own peak',
];

export function renderHelp(width: number): string[] {
  return HELP.map((l) => fit(l, width));
}
