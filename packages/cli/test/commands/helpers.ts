import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../src/log.js';
import type { Logger } from '../../src/log.js';

/** A small /proc + /sys tree: lo, eth0 (1 Gb/s, distinct counter values), docker0 (down). */
export const BASIC_ROOT = fileURLToPath(new URL('../testdata/roots/basic', import.meta.url));

/** A logger that keeps "level message" lines, without timestamps. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger('debug', (l) => lines.push(l.replace(/^\S+ /, '').replace(/\s+/, ' ').trimEnd()));
  return { logger, lines };
}

export function fakeSignals(): EventEmitter {
  return new EventEmitter();
}

export async function waitFor(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ZERO_RATES = { bytes_per_second: 0, packets_per_second: 0, errors_per_second: 0, drops_per_second: 0 };

/** What `snapshot --json` must print for BASIC_ROOT (static counters, so every rate is 0). */
export const BASIC_ROOT_INTERFACES = [
  {
    name: 'lo',
    state: 'unknown',
    up: true,
    counters: {
      rx_bytes: 52000, rx_packets: 400, rx_errs: 0, rx_drop: 0, rx_fifo: 0, rx_frame: 0, rx_compressed: 0, rx_multicast: 0,
      tx_bytes: 52000, tx_packets: 400, tx_errs: 0, tx_drop: 0, tx_fifo: 0, tx_colls: 0, tx_carrier: 0, tx_compressed: 0,
    },
    rates: { rx: ZERO_RATES, tx: ZERO_RATES },
  },
  {
    name: 'eth0',
    state: 'up',
    up: true,
    speed_bytes_per_second: 125_000_000,
    counters: {
      rx_bytes: 987654321, rx_packets: 654321, rx_errs: 1, rx_drop: 2, rx_fifo: 3, rx_frame: 4, rx_compressed: 5, rx_multicast: 6,
      tx_bytes: 123456789, tx_packets: 321098, tx_errs: 7, tx_drop: 8, tx_fifo: 9, tx_colls: 10, tx_carrier: 11, tx_compressed: 12,
    },
    rates: { rx: { ...ZERO_RATES, utilization: 0 }, tx: { ...ZERO_RATES, utilization: 0 } },
  },
  {
    name: 'docker0',
    state: 'down',
    up: false,
    counters: {
      rx_bytes: 0, rx_packets: 0, rx_errs: 0, rx_drop: 0, rx_fifo: 0, rx_frame: 0, rx_compressed: 0, rx_multicast: 0,
      tx_bytes: 0, tx_packets: 0, tx_errs: 0, tx_drop: 0, tx_fifo: 0, tx_colls: 0, tx_carrier: 0, tx_compressed: 0,
    },
    rates: { rx: ZERO_RATES, tx: ZERO_RATES },
  },
];
