import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LiveFeed } from '../../src/api/live.js';
import { createEventEncoder } from '../../src/export/events.js';
import { BYTES_PER_INTERFACE_SLOT, DEFAULT_HISTORY_MEMORY, DEFAULT_HISTORY_SIZE, HistoryRing, MIN_HISTORY_SLOTS, type HistoryPoint } from '../../src/history/ring.js';
import { formatByteSize } from '../../src/config/values.js';
import { fakeSnapshot } from './fixtures.js';

const DOC = readFileSync(new URL('../../../../docs/live-views.md', import.meta.url), 'utf8');

/** The first ```json block after `heading`. */
function jsonAfter(heading: string): unknown {
  const at = DOC.indexOf(heading);
  assert.ok(at >= 0, heading);
  const m = /```json\n([\s\S]*?)```/.exec(DOC.slice(at));
  return JSON.parse(m?.[1] ?? 'null');
}

/** Every key path of a JSON value (arrays by their first element), so shapes compare, not values. */
function shape(v: unknown, at = ''): string[] {
  if (Array.isArray(v)) return v.length ? shape(v[0], `${at}[]`) : [`${at}[]`];
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [`${at}.${k}`, ...shape(x, `${at}.${k}`)]);
  return [];
}

describe('docs/live-views.md', () => {
  const feed = new LiveFeed({ intervalMs: 1000, host: 'h' });
  feed.update(fakeSnapshot(1, 1000, [{ name: 'eth0' }]));
  const live = feed.update(fakeSnapshot(2, 2000, [{ name: 'eth0', rx: { bytes: 1, packets: 1 }, tx: { bytes: 1, packets: 1 } }]));

  it('shows /api/v1/interfaces in exactly the shape the agent serves', () => {
    assert.deepEqual(shape(jsonAfter('### `GET /api/v1/interfaces`')), shape(live));
  });

  it('shows an event line in exactly the shape the exporter writes', () => {
    const enc = createEventEncoder('otel-netif@h', true);
    enc.encode(fakeSnapshot(1, 1000, [{ name: 'eth0' }]));
    const [line] = enc.encode(fakeSnapshot(2, 2000, [{ name: 'eth0', rx: { bytes: 1, packets: 1 }, tx: { bytes: 1, packets: 1 } }]));
    assert.deepEqual(shape(jsonAfter('## The events exporter')), shape(line));
  });

  it('states the history memory the ring really takes', () => {
    assert.ok(DOC.includes(`default **${DEFAULT_HISTORY_SIZE}**`));
    assert.ok(DOC.includes(`**${BYTES_PER_INTERFACE_SLOT} bytes per interface per slot**`));
    assert.ok(DOC.includes(`${DEFAULT_HISTORY_SIZE} × ${BYTES_PER_INTERFACE_SLOT} = **${(DEFAULT_HISTORY_SIZE * BYTES_PER_INTERFACE_SLOT) / 1024} KiB per interface**`));
    assert.ok(DOC.includes(`\`--history-memory\` (default **${formatByteSize(DEFAULT_HISTORY_MEMORY)}**)`));
    // The slots the doc quotes for 45 to 4000 busy interfaces, as the ring keeps them.
    for (const [busy, quoted] of [[45, 720], [100, 270], [1000, 27], [4000, 7], [20_000, MIN_HISTORY_SLOTS]] as const) {
      const ring = new HistoryRing(DEFAULT_HISTORY_SIZE);
      const points = new Map<string, HistoryPoint>();
      for (let i = 0; i < busy; i++) points.set(`veth${i}`, { rxBytes: 1, txBytes: 1, rxPackets: 1, txPackets: 1 });
      ring.push(0, points);
      assert.ok(Math.abs(ring.capacity - quoted) <= quoted / 20, `${busy} busy: ${ring.capacity} slots, the doc says ${quoted}`);
    }
  });
});
