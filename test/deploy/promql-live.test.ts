/**
 * The checks that cannot lie: the real agent reads real interfaces in a network namespace with
 * traffic flowing, a real Prometheus scrapes it every second with the alert rules loaded, and
 * every PromQL expression of every dashboard panel, dashboard variable and alert rule is run
 * through Prometheus's HTTP API and must return data.
 *
 * Namespace A holds lo, uplink0 (a veth towards namespace B; veths report 10 Gbit/s) and flap0,
 * which is up and is then taken down. UDP flows both ways over uplink0, and over A's loopback at
 * about 1.7 Mbit/s: lo reports no link speed, so --max-bandwidth 1Mbit is its capacity and it runs
 * "saturated" (a bridge would not do: it reports its ports' speed).
 */
import assert from 'node:assert/strict';
import {
  cleanupNamespaces, createNamespace, createVethPair, ip, namespaceRoot, requireCli, requirePrometheus, requireRoot,
  sendUdp, sleep, startAgent, startUdpSink, type Agent, type Namespace, type NamespaceRoot,
} from '../../test-support/index.js';
import { startPrometheusWithRules, type LivePrometheus } from './lib/live-prometheus.js';
import { RULES_FILE } from './lib/paths.js';
import { dashboardExprs, loadRules, ruleExprs, substituteVariables, withoutThreshold, type Expr } from './lib/promql.js';

const JOB = 'otel-netif';
const RATE = 400; // datagrams per second, each way
const PAYLOAD = 500; // bytes: (500 + 42) × 400 × 8 ≈ 1.73 Mbit/s on the wire

/**
 * Alert rules whose condition the scenario cannot make true (this kernel's veth never counts
 * errors, and drops cannot be produced on demand): the test runs their expression without the
 * final comparison, which must still return a series per interface. The others run as written.
 * A rule missing from this table fails the test, so a new rule gets a decision.
 */
const RULE_MODE: Record<string, 'as-is' | 'without-threshold'> = {
  NetworkInterfaceSaturated: 'as-is',
  NetworkInterfaceDown: 'as-is',
  NetworkInterfaceErrorsRising: 'without-threshold',
  NetworkInterfaceDropsRising: 'without-threshold',
};

describe('deploy: every dashboard and alert query returns data from a live agent @root', function () {
  this.timeout(240_000);
  let nsA: Namespace;
  let nsB: Namespace;
  let root: NamespaceRoot | undefined;
  let agent: Agent | undefined;
  let prom: LivePrometheus | undefined;
  let vars: Record<string, string>;
  let senderError: unknown;

  before(async function () {
    requireRoot(this);
    requireCli(this);
    requirePrometheus(this);
    nsA = await createNamespace('dash');
    nsB = await createNamespace('peer');
    await createVethPair(nsA, nsB, { nameA: 'uplink0', nameB: 'peer0', ipA: '192.0.2.1', ipB: '192.0.2.2' });
    await createVethPair(nsA, nsB, { nameA: 'flap0', nameB: 'flap1', ipA: '198.51.100.1', ipB: '198.51.100.2' });

    root = await namespaceRoot(nsA);
    agent = await startAgent({
      args: ['run', '--root-path', root.path, '--interval', '1s', '--metadata-refresh', '1s', '--max-bandwidth', '1Mbit', '--top', '2', '--exporter', 'prometheus'],
    });
    prom = await startPrometheusWithRules({ job: JOB, target: `127.0.0.1:${agent.port}`, ruleFiles: [RULES_FILE] });
    vars = { job: JOB, host: `127.0.0.1:${agent.port}`, interface: '.*', __rate_interval: '10s', __range: '30s', __interval: '1s' };

    await startUdpSink(nsA, '192.0.2.1', 9999);
    await startUdpSink(nsB, '192.0.2.2', 9999);
    await startUdpSink(nsA, '127.0.0.1', 9998);
    const seconds = 200;
    const flows = [[nsA, '192.0.2.2', 9999], [nsB, '192.0.2.1', 9999], [nsA, '127.0.0.1', 9998]] as const;
    for (const [from, to, port] of flows) {
      sendUdp({ from, to, port, count: RATE * seconds, payloadBytes: PAYLOAD, durationMs: seconds * 1000 })
        .catch((err: unknown) => { senderError ??= err; });
    }

    // flap0 must be seen up before it goes down: the rule fires only for links that were up.
    await prom.waitForData('system_network_interface_up{network_interface_name="flap0"} == 1', 30_000);
    // Enough history for rate() over $__rate_interval and increase() over $__range.
    await sleep(32_000);
    await ip(['-n', nsA.name, 'link', 'set', 'flap0', 'down']);
    await prom.waitForData('system_network_interface_up{network_interface_name="flap0"} == 0', 30_000);
  });

  after(async () => {
    await agent?.stop().catch(() => undefined);
    await prom?.stop();
    await root?.close();
    await cleanupNamespaces();
  });

  it('the traffic is flowing and the agent sees it on uplink0 and lo', async () => {
    assert.equal(senderError, undefined);
    const wire = RATE * (PAYLOAD + 42) * 8;
    for (const [iface, dir, want] of [['uplink0', 'transmit', wire], ['uplink0', 'receive', wire], ['lo', 'transmit', wire]] as const) {
      const r = await prom!.query(`rate(system_network_io_bytes_total{network_interface_name="${iface}",network_io_direction="${dir}"}[10s]) * 8`);
      assert.equal(r.length, 1);
      const bps = Number(r[0]!.value[1]);
      // Loopback frames carry no Ethernet header (14 bytes fewer); the bounds allow for it.
      assert.ok(bps > 0.8 * want && bps < 1.3 * want, `${iface} ${dir}: ${bps} bit/s, sent ${want}`);
    }
  });

  it('Prometheus loaded the rules file and evaluates every rule without error', async () => {
    const data = await prom!.api<{ groups: Array<{ name: string; file: string; rules: Array<{ name: string; health: string; lastError?: string; type: string }> }> }>('/api/v1/rules');
    const group = data.groups.find((g) => g.name === 'otel-netif');
    assert.ok(group, 'no otel-netif rule group');
    assert.equal(group.file, RULES_FILE);
    const want = loadRules().flatMap((g) => g.rules.map((r) => r.alert));
    assert.deepEqual(group.rules.map((r) => r.name), want);
    for (const r of group.rules) {
      assert.equal(r.type, 'alerting');
      assert.equal(r.health, 'ok', `${r.name}: ${r.health} ${r.lastError ?? ''}`);
    }
  });

  it('every alert rule expression returns data (as written where the scenario makes it true)', async () => {
    const exprs = ruleExprs();
    assert.deepEqual(exprs.map((e) => e.alert).sort(), Object.keys(RULE_MODE).sort(), 'RULE_MODE does not cover exactly the rules');
    const empty: string[] = [];
    for (const e of exprs) {
      const q = RULE_MODE[e.alert!] === 'as-is' ? e.expr : withoutThreshold(e.expr);
      try {
        await prom!.waitForData(q, 20_000);
      } catch {
        empty.push(`${e.where}: ${q}`);
      }
    }
    assert.deepEqual(empty, []);
  });

  it('the saturation and interface-down alerts are pending for the right interfaces', async () => {
    const until = Date.now() + 20_000;
    let alerts: Array<{ labels: Record<string, string>; state: string }> = [];
    for (;;) {
      alerts = (await prom!.api<{ alerts: typeof alerts }>('/api/v1/alerts')).alerts;
      const got = (name: string): string[] => alerts.filter((a) => a.labels.alertname === name).map((a) => `${a.labels.network_interface_name}/${a.labels.network_io_direction ?? '-'}/${a.state}`).sort();
      const sat = got('NetworkInterfaceSaturated');
      const down = got('NetworkInterfaceDown');
      if ((sat.length === 2 && down.length === 1) || Date.now() > until) {
        assert.deepEqual(sat, ['lo/receive/pending', 'lo/transmit/pending']);
        assert.deepEqual(down, ['flap0/-/pending']);
        break;
      }
      await sleep(500);
    }
    assert.ok(!alerts.some((a) => a.labels.alertname === 'NetworkInterfaceErrorsRising'), 'errors alert on an error-free link');
  });

  it('every dashboard panel query and variable query returns data', async () => {
    const exprs: Expr[] = dashboardExprs();
    assert.ok(exprs.length > 25, `only ${exprs.length} expressions found`);
    const empty: string[] = [];
    for (const e of exprs) {
      const q = substituteVariables(e.expr, vars);
      try {
        await prom!.waitForData(q, 15_000);
      } catch (err) {
        empty.push(`${e.where}: ${q} (${(err as Error).message})`);
      }
    }
    assert.deepEqual(empty, []);
  });

  it('the per-interface variables list the namespace\'s interfaces, and the top-N table folds the rest into "other"', async () => {
    const ifaces = (await prom!.query(`count by (network_interface_name) (system_network_io_bytes_total{job="${JOB}"})`))
      .map((r) => r.metric.network_interface_name).sort();
    assert.deepEqual(ifaces, ['flap0', 'lo', 'uplink0']);
    const top = (await prom!.query(`sum by (network_interface_name) (system_network_io_rate_bytes_per_second{job="${JOB}"})`))
      .map((r) => r.metric.network_interface_name).sort();
    assert.equal(top.length, 3);
    assert.ok(top.includes('other'), `no "other" in ${top.join(', ')}`);
  });
});
