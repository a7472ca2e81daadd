import assert from 'node:assert/strict';
import type { LiveInterface } from '../../src/api/model.js';
import { HistoryRing } from '../../src/history/ring.js';
import { plainTable } from '../../src/top/once.js';
import { renderScreen, type ScreenInput } from '../../src/top/screen.js';
import type { Section } from '../../src/top/section.js';
import { initialState, type TopState } from '../../src/top/state.js';
import { cells } from '../../src/top/text.js';
import { liveInterface } from '../api/fixtures.js';

function section(id: string, ifaces: LiveInterface[], over: Partial<Section> = {}): Section {
  const history = new HistoryRing(120);
  for (let i = 0; i < 4; i++) history.push(i * 1000, new Map(ifaces.map((f) => [f.name, { rxBytes: (f.rates.rxBytes ?? 0) * (i + 1) / 4, txBytes: f.rates.txBytes ?? undefined, rxPackets: 0, txPackets: 0 }])));
  return {
    id,
    label: id,
    remote: false,
    error: undefined,
    history,
    snapshot: { version: 1, host: `${id}-host`, time: '', timeUnixMs: Date.UTC(2024, 0, 1, 10, 0, 0), seq: 4, intervalMs: 1000, interfaces: ifaces },
    ...over,
  };
}

const busy = liveInterface('eth0', { rates: { rxBytes: 2e6, txBytes: 1e5, rxPackets: 10, txPackets: 5, rxErrors: 0, txErrors: 0, rxDrops: 0, txDrops: 0 } });
const idle = liveInterface('lo', { operstate: 'unknown', rates: { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, rxErrors: 0, txErrors: 0, rxDrops: 0, txDrops: 0 } });
const mid = liveInterface('veth1', { rates: { rxBytes: 0, txBytes: 5e5, rxPackets: 0, txPackets: 2, rxErrors: 0, txErrors: 0, rxDrops: 0, txDrops: 0 } });

function screen(sections: Section[], state: Partial<TopState> = {}, width = 72, height = 8): string[] {
  const input: ScreenInput = { sections, state: { ...initialState(), selected: 'local/eth0', ...state }, width, height, intervalMs: 1000, clock: '10:00:00' };
  const s = renderScreen(input);
  for (const l of s.lines) assert.equal(cells(l), width, `line not ${width} wide: "${l}"`);
  assert.equal(s.lines.length, height);
  assert.equal(s.kinds.length, height);
  return s.lines;
}

describe('top screen', () => {
  it('lays out title, header, rows by total throughput and the status line', () => {
    const lines = screen([section('local', [idle, mid, busy])]);
    assert.deepEqual(lines.map((l) => l.trimEnd()), [
      'otel-netif top · local-host · every 1s  sort: total · bytes/s · 10:00:00',
      'IFACE  STATE            RX          TX UTIL          RX 1m     TX 1m',
      'eth0   up        2.00 MB/s    100 KB/s                    ▃▅▇█      ████',
      'veth1  up            0 B/s    500 KB/s                    ▁▁▁▁      ████',
      'lo     unknown       0 B/s       0 B/s                    ▁▁▁▁      ▁▁▁▁',
      '',
      '',
      '? help  q quit  ↑↓ move  enter detail  s sort  / filter  b bits · 3 int…',
    ]);
  });

  it('marks the selected row for the terminal layer to highlight', () => {
    const s = renderScreen({ sections: [section('local', [busy, mid])], state: { ...initialState(), selected: 'local/veth1' }, width: 72, height: 6, intervalMs: 1000, clock: '' });
    assert.deepEqual(s.kinds, ['title', 'header', 'row', 'selected', 'text', 'status']);
  });

  it('re-sorts with the state and shows the units and filter it is in', () => {
    const lines = screen([section('local', [idle, mid, busy])], { sort: 'tx', bits: true, filter: 'e' });
    assert.match(lines[0] as string, /sort: tx · bits\/s/);
    assert.deepEqual(lines.slice(2, 4).map((l) => l.slice(0, 5)), ['veth1', 'eth0 ']);
    assert.match(lines[2] as string, /4\.00 Mbit\/s/);
    assert.match(lines[7] as string, /^filter "e": 2 of 3 · esc clears/);
  });

  it('shows the filter being typed in the status line', () => {
    const lines = screen([section('local', [busy])], { draft: 'et' });
    assert.equal((lines[7] as string).trimEnd(), '/et█   enter apply · esc cancel');
  });

  it('says so when the filter matches nothing', () => {
    const lines = screen([section('local', [busy])], { filter: 'zz' });
    assert.equal((lines[2] as string).trimEnd(), '  no interface matches "zz"');
  });

  it('gives each remote agent a section, and an unreachable one an in-place error', () => {
    const a = section('http://a:9464', [busy], { remote: true });
    const b = section('http://b:9464', [], { remote: true, snapshot: undefined, error: 'connection refused (is the agent running, and listening on that address?)' });
    const lines = screen([a, b], { selected: 'http://a:9464/eth0' }, 72, 9);
    assert.deepEqual(lines.map((l) => l.trimEnd()), [
      'otel-netif top · 2 hosts · every 1s     sort: total · bytes/s · 10:00:00',
      '── http://a:9464-host · http://a:9464 · 1 interface ────────────────────',
      'IFACE  STATE            RX          TX UTIL          RX 1m     TX 1m',
      'eth0   up        2.00 MB/s    100 KB/s                    ▃▅▇█      ████',
      '',
      '── http://b:9464 · ✗ no answer ─────────────────────────────────────────',
      '  ✗ connection refused (is the agent running, and listening on that add…',
      '',
      '? help  q quit  ↑↓ move  enter detail  s sort  / filter  b bits · 1 int…',
    ]);
  });

  it('says when samples stopped coming, locally in the status line and per remote agent', () => {
    const local = section('local', [busy]);
    const t = local.snapshot?.timeUnixMs ?? 0;
    const at = (nowMs: number, sections: Section[]): string[] =>
      renderScreen({ sections, state: initialState(), width: 100, height: 8, intervalMs: 1000, clock: '', nowMs }).lines;
    assert.match(at(t + 2500, [local])[7] ?? '', /^\? help/);
    assert.match(at(t + 10_000, [local])[7] ?? '', /^⚠ no new sample for 10s \(see the log after quitting\) · \? help/);
    const remote = section('http://a:1', [busy], { remote: true });
    assert.match(at(t + 61_000, [remote])[1] ?? '', /^── http:\/\/a:1-host · http:\/\/a:1 · 1 interface · ⚠ no new sample for 1m1s ─+$/);
  });

  it('scrolls to keep the selected row on screen, with the header pinned', () => {
    const many = Array.from({ length: 20 }, (_, i) => liveInterface(`if${String(i).padStart(2, '0')}`, { rates: { rxBytes: 100 - i, txBytes: 0 } }));
    const lines = screen([section('local', many)], { selected: 'local/if15' }, 72, 8);
    assert.match(lines[1] as string, /^IFACE/);
    assert.ok(lines.some((l) => l.startsWith('if15')), lines.join('\n'));
  });

  it('shows help over the list with ?', () => {
    const lines = screen([section('local', [busy])], { mode: 'help' }, 72, 6);
    assert.deepEqual(lines.slice(1, 4).map((l) => l.trimEnd()), ['Keys', '  q              quit (also Ctrl-C)', '  ↑ ↓  k j       move the selection; PgUp PgDn Home End jump']);
  });

  it('shows the selected interface alone with a mirrored chart in the detail pane', () => {
    const lines = screen([section('local', [busy])], { mode: 'detail' }, 60, 24);
    assert.equal(lines[1], '── eth0 · up · carrier · speed unknown · mtu 1500 ──────────');
    assert.equal((lines[2] as string).trimEnd(), '                     RECEIVE      TRANSMIT');
    assert.equal((lines[3] as string).trimEnd(), 'rate               2.00 MB/s      100 KB/s');
    assert.equal((lines[4] as string).trimEnd(), 'peak               2.00 MB/s      100 KB/s');
    assert.equal((lines[5] as string).trimEnd(), 'average            1.25 MB/s      100 KB/s');
    assert.equal((lines[14] as string).trimEnd(), '                last 44s, newest at the right');
    // 22 body rows - 13 lines of table - 2 = 7 chart rows: 3 above the axis (24 eighths), 3 below (6 halves).
    // Receive 0.5, 1, 1.5, 2 MB/s → 6, 12, 18, 24 eighths; transmit flat at its own peak.
    assert.deepEqual(lines.slice(15, 22).map((l) => l.slice(0, 16) + '|' + l.slice(56)), [
      '   RX 2.00 MB/s |  ▂█',
      '                | ▄██',
      '                |▆███',
      '              0 |────',
      '                |████',
      '                |████',
      '    TX 100 KB/s |████',
    ]);
    assert.equal(lines[15]?.slice(16, 56), ' '.repeat(40));
  });

  it('tells the user when the interface in the detail pane is gone', () => {
    const lines = screen([section('local', [busy])], { mode: 'detail', selected: 'local/veth9' });
    assert.equal((lines[1] as string).trimEnd(), '  veth9 is gone — enter or esc to go back');
  });
});

describe('plain table (--once, no TTY)', () => {
  it('prints the columns at natural width, busiest first, without trailing spaces', () => {
    assert.deepEqual(plainTable([section('local', [idle, busy])], false, 1000), [
      'IFACE  STATE            RX          TX  RX PPS  TX PPS  ERR/s  DRP/s  UTIL  ΣSTART   ΣBOOT',
      'eth0   up        2.00 MB/s    100 KB/s      10       5      0      0     -     0 B     0 B',
      'lo     unknown       0 B/s       0 B/s       0       0      0      0     -     0 B     0 B',
    ]);
  });

  it('titles each remote agent and says why one did not answer', () => {
    const a = section('http://a:1', [busy], { remote: true });
    const b = section('http://b:1', [], { remote: true, snapshot: undefined, error: 'host name not found' });
    const out = plainTable([a, b], true, 1000);
    assert.equal(out[0], '# http://a:1-host (http://a:1)');
    assert.match(out[2] as string, /^eth0 +up +16\.0 Mbit\/s +800 kbit\/s|^eth0 +up +16\.0 Mbit\/s +800 Kbit\/s/);
    assert.deepEqual(out.slice(3), ['', '# http://b:1', '! host name not found']);
  });
});
