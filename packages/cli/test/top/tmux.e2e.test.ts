// `otel-netif top` in a real terminal (tmux), on a veth pair with known UDP traffic, driven by
// keys the way a person would. Root only: namespaces; skipped with the reason otherwise.
import assert from 'node:assert/strict';
import {
  CLI_BIN,
  REPO_ROOT,
  cleanupNamespaces,
  createNamespace,
  createVethPair,
  requireCli,
  requireRoot,
  runCli,
  sendUdp,
  startUdpSink,
  type Namespace,
  type SendResult,
  type UdpSink,
  type VethPair,
} from '../../../../test-support/index.js';
import { Tmux, tmuxUnavailableReason } from './tmux.js';

const UNITS: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9 };

/** "512 KB/s" → 512000; "4.10 Mbit/s" → 512500 (bytes). */
function parseRate(text: string): number {
  const m = /^([\d.]+) ([KMG]?)(B|bit)\/s$/.exec(text.trim());
  if (!m) throw new Error(`not a rate: "${text}"`);
  return Number(m[1]) * (UNITS[m[2] ?? ''] ?? NaN) / (m[3] === 'bit' ? 8 : 1);
}

/** The RX and TX cells of an interface's row, by the header's column positions. */
function rowRates(lines: string[], name: string): { rx: string; tx: string } | undefined {
  const header = lines.find((l) => l.startsWith('IFACE'));
  const row = lines.find((l) => l.startsWith(`${name} `));
  if (!header || !row) return undefined;
  const rxEnd = header.search(/RX▼? /) + header.slice(header.search(/RX▼? /)).indexOf(' ');
  const txEnd = header.search(/ TX▼? /) + 1 + header.slice(header.search(/ TX▼? /) + 1).indexOf(' ');
  return { rx: row.slice(rxEnd - 11, rxEnd), tx: row.slice(txEnd - 11, txEnd) };
}

describe('otel-netif top in a real terminal @root', function () {
  this.timeout(180_000);
  let nsA: Namespace;
  let nsB: Namespace;
  let pair: VethPair;
  let sink: UdpSink;
  const tmux = new Tmux();

  before(async function () {
    requireRoot(this);
    requireCli(this);
    const why = tmuxUnavailableReason();
    if (why) {
      process.stderr.write(`      skipping: ${why}\n`);
      this.skip();
    }
    // Fail the suite at once, and say why, when the built CLI has no top command.
    const probe = await runCli(['top', '--once', '--interval', '100ms', '--include', 'onx-matches-nothing']);
    if (probe.code !== 0 || !probe.stdout.startsWith('IFACE')) throw new Error(`otel-netif top does not run (registered in main.ts?): ${probe.stderr.trim()}`);
    nsA = await createNamespace('topA');
    nsB = await createNamespace('topB');
    pair = await createVethPair(nsA, nsB, { nameA: 'vtopa', nameB: 'vtopb' });
    sink = await startUdpSink(nsB, pair.b.ip, 40100);
    await tmux.start(160, 40);
    await tmux.waitFor('the shell prompt', (l) => l.some((x) => x.startsWith('onx$')));
    await tmux.type(`cd ${REPO_ROOT} && echo BEFORE-TOP && ip netns exec ${nsA.name} ${process.execPath} ${CLI_BIN} top --interval 500ms; echo TOP-EXIT=$?`, true);
  });

  after(async () => {
    await tmux.kill();
    await sink?.stop().catch(() => undefined);
    await cleanupNamespaces();
  });

  it('fills the alternate screen, hides the cursor, and lists the namespace’s interfaces', async () => {
    const lines = await tmux.waitFor('the vtopa and lo rows', (l) => l.some((x) => x.startsWith('vtopa ')) && l.some((x) => x.startsWith('lo ')));
    assert.match(lines[0] ?? '', /^otel-netif top · .* · every 500ms +sort: total · bytes\/s · \d\d:\d\d:\d\d$/);
    assert.match(lines[1] ?? '', /^IFACE +STATE +RX +TX +RX PPS +TX PPS +ERR\/s +DRP\/s +UTIL +ΣSTART +ΣBOOT +RX 1m +TX 1m/);
    assert.equal(await tmux.pane('#{alternate_on}'), '1');
    assert.equal(await tmux.pane('#{cursor_flag}'), '0');
    assert.equal(lines.filter((l) => /^\S+ +(up|down|unknown|lldown) /.test(l)).length, 2, lines.join('\n'));
  });

  it('shows the transmit rate of the traffic being sent, in its own row', async () => {
    const sending = sendUdp({ from: nsA, to: pair.b.ip, port: 40100, count: 8000, payloadBytes: 958, durationMs: 8000 });
    let sent: SendResult | undefined;
    void sending.then((r) => (sent = r));
    // 8000 × (958 + 42) bytes over 8 s: 1 MB/s asked for. The first sample after the start may
    // hold only part of an interval of traffic, so wait for a full one.
    const lines = await tmux.waitFor('a vtopa transmit rate above 500 KB/s', (l) => {
      const r = rowRates(l, 'vtopa');
      return r !== undefined && /B\/s/.test(r.tx) && parseRate(r.tx) > 500_000;
    });
    const rates = rowRates(lines, 'vtopa');
    const tx = parseRate(rates?.tx ?? '');
    // A half-second sample may catch a burst, but not three times the rate.
    assert.ok(tx < 3_000_000, `tx ${rates?.tx}`);
    assert.equal(parseRate(rates?.rx ?? ''), 0, `rx ${rates?.rx}`);
    // Busiest first: vtopa is above lo now.
    const order = lines.filter((l) => /^(vtopa|lo) /.test(l)).map((l) => l.split(' ')[0]);
    assert.deepEqual(order, ['vtopa', 'lo']);
    // Its sparkline has drawn bars (anything above the idle ▁).
    const row = lines.find((l) => l.startsWith('vtopa ')) ?? '';
    assert.match(row, /[▂▃▄▅▆▇█]/);
    sent = await sending;
    assert.equal(sent.count, 8000);
  });

  it('cycles the sort with s', async () => {
    await tmux.type('s');
    const lines = await tmux.waitFor('sort: rx', (l) => /sort: rx/.test(l[0] ?? ''));
    assert.match(lines[1] ?? '', / RX▼ /);
    await tmux.type('sssss');
    await tmux.waitFor('sort back at total', (l) => /sort: total/.test(l[0] ?? ''));
  });

  it('filters by name with /, and esc clears the filter', async () => {
    await tmux.type('/');
    await tmux.waitFor('the filter prompt', (l) => l.some((x) => x.startsWith('/█')));
    await tmux.type('vtop');
    await tmux.waitFor('the typed filter', (l) => l.some((x) => x.startsWith('/vtop█')));
    await tmux.keys('Enter');
    const lines = await tmux.waitFor('only vtopa', (l) => l.some((x) => x.startsWith('filter "vtop": 1 of 2')));
    assert.ok(lines.some((l) => l.startsWith('vtopa ')));
    assert.ok(!lines.some((l) => l.startsWith('lo ')), lines.join('\n'));
    await tmux.keys('Escape');
    await tmux.waitFor('lo again', (l) => l.some((x) => x.startsWith('lo ')));
  });

  it('switches to bits per second with b, and back', async () => {
    await tmux.type('b');
    const lines = await tmux.waitFor('bits/s', (l) => /bits\/s/.test(l[0] ?? ''));
    assert.match(rowRates(lines, 'lo')?.rx ?? '', /bit\/s$/);
    await tmux.type('b');
    await tmux.waitFor('bytes/s', (l) => /bytes\/s/.test(l[0] ?? ''));
  });

  it('shows help with ? and closes it with any key', async () => {
    await tmux.type('?');
    const lines = await tmux.waitFor('the help', (l) => l.some((x) => x.startsWith('Keys')));
    assert.ok(lines.some((l) => /^ +\/ +filter by name/.test(l)));
    await tmux.type('x');
    await tmux.waitFor('the list again', (l) => l.some((x) => x.startsWith('IFACE')));
  });

  it('opens the detail pane of the selected interface with enter', async () => {
    // The busiest row is selected first; make sure it is vtopa whatever the traffic did since.
    await tmux.type('/vtopa');
    await tmux.keys('Enter');
    await tmux.waitFor('the filter applied', (l) => l.some((x) => x.startsWith('filter "vtopa"')));
    await tmux.keys('Enter');
    const lines = await tmux.waitFor('the detail pane', (l) => l.some((x) => x.startsWith('── vtopa · ')));
    assert.ok(lines.some((l) => /^ +RECEIVE +TRANSMIT/.test(l)));
    assert.ok(lines.some((l) => /^since boot +\S+ \S*B +\S+ \S*B/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^ +0 ─+$/.test(l)), 'the chart axis');
    await tmux.keys('Escape');
    await tmux.waitFor('the list again', (l) => l.some((x) => x.startsWith('IFACE')));
    await tmux.keys('Escape');
  });

  it('follows a resize', async () => {
    await tmux.resize(90, 30);
    const lines = await tmux.waitFor('a narrower layout', (l) => l.some((x) => x.startsWith('IFACE')) && !l.some((x) => x.includes('ΣBOOT')));
    for (const l of lines) assert.ok([...l].length <= 90, l);
    await tmux.resize(160, 40);
    await tmux.waitFor('the wide layout again', (l) => l.some((x) => x.includes('ΣBOOT')));
  });

  it('quits with q and gives the terminal back as it was', async () => {
    await tmux.type('q');
    const lines = await tmux.waitFor('the shell again', (l) => l.some((x) => x === 'TOP-EXIT=0') && l.some((x) => x === 'onx$'));
    assert.equal(await tmux.pane('#{alternate_on}'), '0');
    assert.equal(await tmux.pane('#{cursor_flag}'), '1');
    // What was on the screen before top is back, and none of top's frame is left over.
    assert.ok(lines.some((l) => l === 'BEFORE-TOP'));
    assert.ok(!lines.some((l) => l.startsWith('otel-netif top')), lines.join('\n'));
    // The line discipline is cooked again (raw mode would show -icanon).
    await tmux.type('stty -a | grep -o -- "-\\?icanon" ; echo STTY-DONE', true);
    const after = await tmux.waitFor('stty output', (l) => l.some((x) => x === 'STTY-DONE'));
    assert.ok(after.includes('icanon'), after.join('\n'));
  });
});
