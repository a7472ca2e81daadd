/**
 * Every way of deploying passes the agent flags and environment variables. This runs the real CLI
 * with exactly those (the chart's rendered args and env, the compose command, the image's ENV and
 * CMD, the systemd environment file with its commented examples switched on) and requires it to
 * start, become ready where it serves HTTP, log no warning (an unknown OTEL_NETIF_* variable or a
 * flag without its exporter is a warning), stop cleanly and, where it pushes OTLP, deliver to a
 * real OTLP receiver standing in for the Collector. A renamed flag or variable fails here.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CLI_BIN, cleanupNamespaces, freePort, makeTempDir, requireCli, sleep, trackProcess } from '../../test-support/index.js';
import { ciValuesFiles, findObject, parseManifests, renderOk } from './lib/chart.js';
import { COMPOSE_FILE, DOCKERFILE, REPO_ROOT } from './lib/paths.js';
import { ensureHelm } from './lib/tools.js';
import { resourceAttributesOf, startOtlpGrpcReceiver, startOtlpHttpReceiver, type ReceivedExport } from '../../test-support/otlp-receiver.js';
import bcrypt from 'bcryptjs';
import { makePki, opensslUnavailableReason, type Pki } from '../../test-support/pki.js';
import { httpsGet } from '../security/https-client.js';

type Obj = Record<string, any>;

interface Launch {
  args: string[];
  env: Record<string, string>;
  /** Whether the prometheus exporter (and so /readyz) is on. */
  http: boolean;
}

/** A directory that looks like the host's / mounted at /host: proc and sys of this machine. */
function hostRoot(): string {
  const dir = makeTempDir('deploy-host');
  mkdirSync(join(dir, 'host'));
  symlinkSync('/proc', join(dir, 'host', 'proc'));
  symlinkSync('/sys', join(dir, 'host', 'sys'));
  return join(dir, 'host');
}

/** Does this launch push OTLP? Then which protocol does it speak (flag > env > default)? */
function otlpProtocol(l: Launch): string | undefined {
  const exporters = [...l.args.filter((a) => a.startsWith('--exporter=')).map((a) => a.slice(11)), ...(l.env.OTEL_METRICS_EXPORTER ?? '').split(',')];
  if (!exporters.includes('otlp')) return undefined;
  return l.args.find((a) => a.startsWith('--otlp-protocol='))?.slice(16) ?? l.env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
}

interface Outcome {
  stderr: string;
  /** What reached the stand-in Collector (the final flush on SIGTERM at least), when OTLP is on. */
  exports: ReceivedExport[];
}

const SCRAPE_USER = 'prometheus';
const SCRAPE_PASSWORD = 'scrape-secret';

/**
 * What the chart mounts from webConfig's Secrets, in a temporary directory with the same layout:
 * the web config at <dir>/web (the chart's /etc/otel-netif/web), cert-manager's tls.crt and
 * tls.key at <dir>/tls, named from the web config as ../tls/…, as the chart's README says.
 */
function webMounts(pki: Pki): string {
  const dir = makeTempDir('deploy-web');
  mkdirSync(join(dir, 'web'));
  mkdirSync(join(dir, 'tls'));
  copyFileSync(pki.serverCert, join(dir, 'tls', 'tls.crt'));
  copyFileSync(pki.serverKey, join(dir, 'tls', 'tls.key'));
  const hash = bcrypt.hashSync(SCRAPE_PASSWORD, 4);
  writeFileSync(join(dir, 'web', 'web-config.yml'), `tls_server_config: {cert_file: ../tls/tls.crt, key_file: ../tls/tls.key}\nbasic_auth_users: {${SCRAPE_USER}: '${hash}'}\n`);
  return join(dir, 'web');
}

/** Ready as kubelet asks: GET /readyz, over TLS (trusting the test CA) when the web config has it, never with a password. */
async function ready(port: number, ca: string | undefined): Promise<boolean> {
  if (ca === undefined) return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  return (await httpsGet(`https://127.0.0.1:${port}/readyz`, { ca })).status === 200;
}

async function launch(l: Launch, root: string, pki?: Pki): Promise<Outcome> {
  const port = await freePort();
  const protocol = otlpProtocol(l);
  const receiver = protocol === undefined ? undefined : protocol === 'grpc' ? await startOtlpGrpcReceiver() : await startOtlpHttpReceiver();
  try {
    const tls = l.args.some((a) => a.startsWith('--web-config='));
    if (tls && !pki) assert.fail('the deployment passes --web-config: give launch() the test PKI');
    const web = tls && pki ? webMounts(pki) : '';
    const args = l.args.map((a) => a
      .replace(/^--web-config=\/etc\/otel-netif\/web\/(.*)$/, (_m, file: string) => `--web-config=${join(web, file)}`)
      .replace(/^--root-path=\/host$/, `--root-path=${root}`)
      .replace(/^--listen=.*$/, `--listen=127.0.0.1:${port}`)
      .replace(/^--otlp-endpoint=.*$/, `--otlp-endpoint=${receiver?.endpoint}`));
    const env: Record<string, string> = { ...l.env };
    if (env.OTEL_NETIF_LISTEN) env.OTEL_NETIF_LISTEN = `127.0.0.1:${port}`;
    if (env.OTEL_NETIF_ROOT_PATH) env.OTEL_NETIF_ROOT_PATH = root;
    if (receiver) {
      assert.ok(env.OTEL_EXPORTER_OTLP_ENDPOINT || args.some((a) => a.startsWith('--otlp-endpoint=')), 'OTLP is on but no endpoint is set');
      if (env.OTEL_EXPORTER_OTLP_ENDPOINT) env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint;
    }
    // Only PATH and HOME leak in from the test, so a variable the deployment does not set cannot help.
    const child = trackProcess(spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', ...env }, stdio: ['ignore', 'ignore', 'pipe'],
    }));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    const http = args.includes('--exporter=prometheus') || (env.OTEL_METRICS_EXPORTER ?? 'prometheus').split(',').includes('prometheus') && !args.some((a) => a.startsWith('--exporter='));
    const until = Date.now() + 15_000;
    for (;;) {
      assert.equal(child.exitCode, null, `otel-netif ${args.join(' ')} exited ${child.exitCode}:\n${stderr}`);
      if (!http) {
        await sleep(2500);
        break;
      }
      try {
        if (await ready(port, tls ? pki?.caCert : undefined)) break;
      } catch {
        // not listening yet
      }
      assert.ok(Date.now() < until, `never ready on 127.0.0.1:${port}:\n${stderr}`);
      await sleep(200);
    }
    assert.equal(http, l.http, `expected the prometheus exporter to be ${l.http ? 'on' : 'off'}`);
    if (tls && pki) {
      // The probes above needed no password; /metrics does, and takes the scrape's.
      const url = `https://127.0.0.1:${port}/metrics`;
      assert.equal((await httpsGet(url, { ca: pki.caCert })).status, 401);
      assert.equal((await httpsGet(url, { ca: pki.caCert, auth: `${SCRAPE_USER}:${SCRAPE_PASSWORD}` })).status, 200);
    }
    assert.equal(child.exitCode, null, `exited:\n${stderr}`);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, `did not stop cleanly:\n${stderr}`);
    const exports = receiver ? await receiver.waitForExports(1, 5000) : [];
    return { stderr, exports };
  } finally {
    await receiver?.close();
  }
}

function assertNoWarnings(stderr: string): void {
  const bad = stderr.split('\n').filter((l) => /^\S+ (warn|error)\b/.test(l));
  assert.deepEqual(bad, []);
}

/** The container's args and env as the DaemonSet gives them; downward-API and Secret values filled in. */
function fromDaemonSet(extra: string[]): Launch {
  const ds = findObject(parseManifests(renderOk(extra)), 'DaemonSet')!;
  const c = ds.spec.template.spec.containers[0] as Obj;
  const fill: Record<string, string> = { K8S_NODE_NAME: 'node-1', POD_IP: '127.0.0.1', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20t' };
  const env = Object.fromEntries((c.env as Obj[]).map((e) => [e.name, e.value ?? fill[e.name] ?? assert.fail(`no test value for ${e.name}`)]));
  const args = c.args as string[];
  return { args, env, http: args.includes('--exporter=prometheus') };
}

describe('deploy: the agent accepts what every deployment passes it', function () {
  this.timeout(120_000);
  let root: string;

  before(function () {
    requireCli(this);
    ensureHelm();
    root = hostRoot();
  });

  after(async () => {
    await cleanupNamespaces();
  });

  for (const [name, extra] of [['chart defaults', []], ...ciValuesFiles().map((f) => [`chart ci/${f.split('/').pop()}`, ['-f', f]])] as Array<[string, string[]]>) {
    it(`${name}: the DaemonSet's args and env`, async function () {
      const launchSpec = fromDaemonSet(extra);
      let pki: Pki | undefined;
      if (launchSpec.args.some((a) => a.startsWith('--web-config='))) {
        const why = opensslUnavailableReason();
        if (why) this.skip();
        pki = makePki();
      }
      const out = await launch(launchSpec, root, pki).finally(() => pki?.remove());
      assertNoWarnings(out.stderr);
      for (const e of out.exports) assert.equal(resourceAttributesOf(e.request)['k8s.node.name'], 'node-1');
    });
  }

  it('the chart with every agent value set', async () => {
    const l = fromDaemonSet(['--set', 'agent.maxBandwidth=10Gbit', '--set', 'agent.include={eth*,en*}', '--set', 'clusterName=c1',
      '--set', 'agent.logLevel=debug', '--set', 'agent.exporters={prometheus,otlp}', '--set', 'otlp.endpoint=http://collector:4318',
      '--set', 'otlp.headersSecret.name=s', '--set', 'otlp.protocol=http/json']);
    const out = await launch(l, root);
    assertNoWarnings(out.stderr);
    const e = out.exports[0]!;
    assert.equal(e.protocol, 'http/json');
    assert.equal(e.headers.authorization, 'Bearer t');
    assert.deepEqual([resourceAttributesOf(e.request)['k8s.node.name'], resourceAttributesOf(e.request)['k8s.cluster.name']], ['node-1', 'c1']);
  });

  it('the compose agent: its command and environment', async () => {
    const agent = (parse(readFileSync(COMPOSE_FILE, 'utf8')) as Obj).services.agent as Obj;
    const args = agent.command as string[];
    const out = await launch({ args, env: agent.environment as Record<string, string>, http: true }, root);
    assertNoWarnings(out.stderr);
    assert.equal(out.exports[0]?.protocol, 'http/protobuf');
  });

  it('the container image: its ENV and CMD', async () => {
    const lines = readFileSync(DOCKERFILE, 'utf8').split('\n');
    const final = lines.slice(lines.findLastIndex((l) => l.startsWith('FROM ')));
    const env = Object.fromEntries(final.filter((l) => l.startsWith('ENV ')).map((l) => l.slice(4).trim().split('=', 2) as [string, string]));
    assert.ok(env.OTEL_NETIF_LISTEN, 'the image sets no listen address');
    const cmd = JSON.parse(final.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
    assertNoWarnings((await launch({ args: cmd, env, http: true }, root)).stderr);
  });

  it('the systemd unit with its environment file, commented examples included', async () => {
    const text = readFileSync(join(REPO_ROOT, 'deploy', 'systemd', 'otel-netif.env'), 'utf8');
    const env: Record<string, string> = {};
    for (const raw of text.split('\n')) {
      const m = /^#?([A-Z][A-Z0-9_]*)=(.*)$/.exec(raw.trim());
      if (m) env[m[1]!] = m[2]!;
    }
    assert.ok(Object.keys(env).length >= 8, `only ${Object.keys(env).length} variables found`);
    const unit = readFileSync(join(REPO_ROOT, 'deploy', 'systemd', 'otel-netif.service'), 'utf8');
    const args = /^ExecStart=\S+ (.*)$/m.exec(unit)![1]!.split(' ');
    const out = await launch({ args, env, http: true }, root);
    assertNoWarnings(out.stderr);
    assert.equal(out.exports[0]?.headers.authorization, 'Bearer changeme', 'the percent-encoded header example does not decode');
  });

  it('a misspelt variable is caught (the check can fail)', async () => {
    const { stderr } = await launch({ args: ['run'], env: { OTEL_NETIF_LISTEN: 'x', OTEL_NETIF_EXPORTER: 'otlp' }, http: true }, root);
    assert.throws(() => assertNoWarnings(stderr), /OTEL_NETIF_EXPORTER/);
  });
});
