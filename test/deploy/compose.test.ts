import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { COMPOSE_DIR, COMPOSE_FILE, DASHBOARD_DIR, RULES_FILE } from './lib/paths.js';
import { requireBinary, run } from './lib/tools.js';

type Obj = Record<string, any>;

const compose = parse(readFileSync(COMPOSE_FILE, 'utf8')) as Obj;
const services = compose.services as Record<string, Obj>;
const load = (rel: string): Obj => parse(readFileSync(join(COMPOSE_DIR, rel), 'utf8')) as Obj;

/** A service's bind mounts as { containerPath: absolute host path }. */
function binds(svc: Obj): Record<string, { host: string; ro: boolean }> {
  const out: Record<string, { host: string; ro: boolean }> = {};
  for (const v of svc.volumes as string[]) {
    const [host, container, mode] = v.split(':') as [string, string, string | undefined];
    if (!host.startsWith('.') && !host.startsWith('/')) continue; // named volume
    out[container] = { host: host.startsWith('/') ? host : resolve(COMPOSE_DIR, host), ro: mode === 'ro' };
  }
  return out;
}

/** Port numbers a service publishes, as "hostIP:hostPort:containerPort" triples. */
function published(svc: Obj): Array<{ ip: string; host: number; container: number }> {
  return ((svc.ports ?? []) as string[]).map((p) => {
    const [ip, host, container] = p.split(':');
    return { ip: ip!, host: Number(host), container: Number(container) };
  });
}

function flag(args: string[], name: string): string[] {
  return args.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
}

describe('deploy: compose stack (deploy/compose)', () => {
  it('docker-compose config renders it', function () {
    this.timeout(60_000);
    const bin = requireBinary(this, 'docker-compose', 'docker-compose');
    const r = run(bin, ['-f', COMPOSE_FILE, 'config']);
    assert.equal(r.code, 0, r.stderr);
    const rendered = parse(r.stdout) as Obj;
    assert.deepEqual(Object.keys(rendered.services).sort(), ['agent', 'grafana', 'otel-collector', 'prometheus']);
  });

  it('docker-compose config rejects what is not a compose file (the check can fail)', function () {
    this.timeout(60_000);
    const bin = requireBinary(this, 'docker-compose', 'docker-compose');
    const dir = mkdtempSync(join(tmpdir(), 'otel-netif-compose-'));
    try {
      writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  agent:\n    image: x\n    network_mode: host\n    volums: ["/proc:/host/proc:ro"]\n');
      const r = run(bin, ['-f', join(dir, 'docker-compose.yml'), 'config']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /volums/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the agent on the host network with host /proc and /sys read-only under --root-path', () => {
    const agent = services.agent!;
    assert.equal(agent.network_mode, 'host');
    assert.equal(agent.pid, undefined, 'pid: host is not needed: /proc/net/dev follows the network namespace');
    assert.ok((agent.volumes as string[]).includes('/proc:/host/proc:ro'));
    assert.ok((agent.volumes as string[]).includes('/sys:/host/sys:ro'));
    const args = agent.command as string[];
    assert.equal(args[0], 'run');
    assert.deepEqual(flag(args, 'root-path'), ['/host']);
    assert.deepEqual(flag(args, 'exporter').sort(), ['otlp', 'prometheus']);
    assert.equal(agent.read_only, true);
    assert.deepEqual(agent.cap_drop, ['ALL']);
    assert.notEqual(String(agent.user).split(':')[0], '0');
    assert.equal(agent.build.context, '../..');
    assert.ok(existsSync(resolve(COMPOSE_DIR, agent.build.context, agent.build.dockerfile)));
  });

  it('wires agent → Collector → Prometheus → Grafana with matching addresses and ports', () => {
    const agent = services.agent!;
    const collector = load('otel-collector/config.yaml');
    const prom = load('prometheus/prometheus.yml');
    const ds = load('grafana/provisioning/datasources/prometheus.yml');

    // The agent (host network) pushes to the Collector's OTLP/HTTP port published on loopback.
    const otlp = new URL(agent.environment.OTEL_EXPORTER_OTLP_ENDPOINT as string);
    assert.equal(agent.environment.OTEL_EXPORTER_OTLP_PROTOCOL, 'http/protobuf');
    const httpPort = Number(String(collector.receivers.otlp.protocols.http.endpoint).split(':').pop());
    assert.ok(published(services['otel-collector']!).some((p) => p.ip === otlp.hostname && p.host === Number(otlp.port) && p.container === httpPort),
      `nothing publishes ${otlp.host} to the Collector's OTLP/HTTP port ${httpPort}`);

    // Prometheus scrapes the agent's --listen port through the host gateway, and the Collector's exporter.
    const jobs = Object.fromEntries((prom.scrape_configs as Obj[]).map((j) => [j.job_name, j]));
    const listenPort = Number(flag(agent.command as string[], 'listen')[0]!.split(':').pop());
    assert.deepEqual(jobs['otel-netif']!.static_configs[0].targets, [`host.docker.internal:${listenPort}`]);
    assert.ok((services.prometheus!.extra_hosts as string[]).includes('host.docker.internal:host-gateway'));
    const exporterPort = Number(String(collector.exporters.prometheus.endpoint).split(':').pop());
    assert.deepEqual(jobs['otel-collector']!.static_configs[0].targets, [`otel-collector:${exporterPort}`]);

    // Grafana's datasource is the prometheus service, and its step is Prometheus's scrape interval
    // ($__rate_interval is derived from it).
    const source = (ds.datasources as Obj[])[0]!;
    assert.equal(source.url, 'http://prometheus:9090');
    assert.equal(source.type, 'prometheus');
    assert.equal(source.jsonData.timeInterval, prom.global.scrape_interval);

    // Only loopback is published: the stack is not reachable from the network by default.
    for (const svc of Object.values(services)) for (const p of published(svc)) assert.equal(p.ip, '127.0.0.1');
  });

  it('loads the chart rules file into Prometheus and the chart dashboards into Grafana (one source each)', () => {
    const promBinds = binds(services.prometheus!);
    assert.equal(promBinds['/etc/prometheus/rules']?.host, dirname(RULES_FILE));
    const prom = load('prometheus/prometheus.yml');
    assert.deepEqual(prom.rule_files, ['rules/*.yml']);

    const grafanaBinds = binds(services.grafana!);
    const provider = (load('grafana/provisioning/dashboards/otel-netif.yml').providers as Obj[])[0]!;
    assert.equal(provider.type, 'file');
    assert.equal(grafanaBinds[provider.options.path]?.host, DASHBOARD_DIR, 'the dashboard provider path is not the mounted chart dashboards');
    assert.equal(grafanaBinds['/etc/grafana/provisioning']?.host, join(COMPOSE_DIR, 'grafana', 'provisioning'));
    const home = services.grafana!.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH as string;
    assert.ok(home.startsWith(`${provider.options.path}/`) && existsSync(join(DASHBOARD_DIR, home.slice(provider.options.path.length + 1))));
    for (const b of [...Object.values(promBinds), ...Object.values(grafanaBinds)]) assert.ok(b.ro, `${b.host} is mounted writable`);
  });

  it('promtool check config passes on the Prometheus config as the container sees it (rules included)', function () {
    const promtool = requireBinary(this, 'promtool', 'prometheus');
    const dir = mkdtempSync(join(tmpdir(), 'otel-netif-promcfg-'));
    try {
      // Rebuild the container's /etc/prometheus from the compose bind mounts, so the relative
      // rule_files glob resolves exactly as it will in the container.
      for (const [container, { host }] of Object.entries(binds(services.prometheus!))) {
        const dest = join(dir, container);
        mkdirSync(dirname(dest), { recursive: true });
        if (statSync(host).isDirectory()) cpSync(host, dest, { recursive: true });
        else copyFileSync(host, dest);
      }
      const config = join(dir, 'etc', 'prometheus', 'prometheus.yml');
      const r = run(promtool, ['check', 'config', config]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /SUCCESS: 4 rules found/, 'the rules were not loaded through rule_files');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives Collector-path series the agent host as instance, so the dashboards\' host picker works for both paths', () => {
    const prom = load('prometheus/prometheus.yml');
    const job = (prom.scrape_configs as Obj[]).find((j) => j.job_name === 'otel-collector')!;
    assert.deepEqual(job.metric_relabel_configs, [{ source_labels: ['host_name'], regex: '(.+)', target_label: 'instance', replacement: '$1' }]);
    assert.equal(load('otel-collector/config.yaml').exporters.prometheus.resource_to_telemetry_conversion.enabled, true);
  });

  it('the Collector config defines every component its pipeline uses, and uses every one it defines', () => {
    const c = load('otel-collector/config.yaml');
    const p = c.service.pipelines.metrics as Obj;
    assert.deepEqual(p.receivers, ['otlp']);
    assert.ok((p.exporters as string[]).includes('prometheus'));
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      const defined = Object.keys(c[kind] ?? {}).sort();
      const used = [...new Set(Object.values(c.service.pipelines as Record<string, Obj>).flatMap((pl) => (pl[kind] ?? []) as string[]))].sort();
      assert.deepEqual(used, defined, `${kind}: defined and used differ`);
    }
    assert.equal(c.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
    assert.equal(c.receivers.otlp.protocols.http.endpoint, '0.0.0.0:4318');
    assert.ok(String(services['otel-collector']!.image).startsWith('otel/opentelemetry-collector-contrib:'));
    assert.doesNotMatch(String(services['otel-collector']!.image), /:latest$/);
  });

  it('provisions Grafana: one default Prometheus datasource, one file provider', () => {
    const ds = load('grafana/provisioning/datasources/prometheus.yml');
    assert.equal(ds.apiVersion, 1);
    assert.equal((ds.datasources as Obj[]).length, 1);
    assert.equal(ds.datasources[0].isDefault, true);
    const dash = load('grafana/provisioning/dashboards/otel-netif.yml');
    assert.equal(dash.apiVersion, 1);
    assert.equal(dash.providers.length, 1);
    assert.equal(services.grafana!.environment.GF_AUTH_ANONYMOUS_ENABLED, 'true', 'open the browser and the dashboards are there');
  });

  it('pins every image to a version', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (svc.build) continue;
      assert.match(String(svc.image), /:[0-9v][\w.-]*$/, `${name} image is not pinned`);
    }
  });

  it('YAML of the stack lints clean (yamllint)', function () {
    const yamllint = requireBinary(this, 'yamllint', 'yamllint');
    const files = [
      COMPOSE_FILE,
      join(COMPOSE_DIR, 'prometheus', 'prometheus.yml'),
      join(COMPOSE_DIR, 'otel-collector', 'config.yaml'),
      join(COMPOSE_DIR, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'),
      join(COMPOSE_DIR, 'grafana', 'provisioning', 'dashboards', 'otel-netif.yml'),
      RULES_FILE,
    ];
    // Default rules, minus document-start markers and line length (URLs and PromQL run long).
    const config = '{extends: default, rules: {document-start: disable, line-length: {max: 200}, truthy: {check-keys: false}}}';
    const r = run(yamllint, ['-f', 'parsable', '-d', config, ...files]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const bad = run(yamllint, ['-f', 'parsable', '-d', config, '-'], { input: 'a: 1\na: 2\n' });
    assert.notEqual(bad.code, 0, 'yamllint accepted a duplicate key');
  });
});
