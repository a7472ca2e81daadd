// The real CLI with --web-config (node_exporter's format): TLS with a CA made by openssl, basic
// auth against a bcrypt hash, checked with a real TLS client. Plain HTTP is refused, a client
// that does not trust the CA refuses the agent, a wrong password gets 401, the right one the
// metrics; and with client_auth_type RequireAndVerifyClientCert only a client certificate from the
// configured CA gets in.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { cleanupNamespaces, findSample, parseExposition, requireCli, runCli, sleep, startAgent, type Agent } from '../../test-support/index.js';
import { makePki, opensslUnavailableReason, type Pki } from '../../test-support/pki.js';
import { kubernetesNode, makeFixtureTree } from '../faults/fixture-tree.js';
import { httpsGet, plainGet, type TlsClientOptions } from './https-client.js';

const USER = 'prometheus';
const PASSWORD = 'scrape:me-0xC0FFEE';

async function waitReadyTls(a: Agent, opts: TlsClientOptions): Promise<void> {
  const until = Date.now() + 15_000;
  for (;;) {
    if (!a.running()) throw new Error(`the agent exited:\n${a.stderrLines.join('\n')}`);
    const ok = await httpsGet(`https://127.0.0.1:${a.port}/readyz`, opts).then((r) => r.status === 200, () => false);
    if (ok) return;
    if (Date.now() > until) throw new Error(`not ready over TLS:\n${a.stderrLines.join('\n')}`);
    await sleep(100);
  }
}

describe('security: TLS and basic auth on the HTTP endpoint (--web-config)', function () {
  this.timeout(60_000);
  let pki: Pki;
  let root: string;
  const agents: Agent[] = [];

  before(function () {
    requireCli(this);
    const reason = opensslUnavailableReason();
    if (reason) {
      process.stderr.write(`      skipping: ${reason}\n`);
      this.skip();
    }
    pki = makePki();
    root = makeFixtureTree('web', kubernetesNode(2)).root;
  });
  after(async () => {
    for (const a of agents) await a.stop().catch(() => {});
    pki?.remove();
    await cleanupNamespaces();
  });

  async function start(webYaml: string, name: string, clientOpts: TlsClientOptions): Promise<Agent> {
    const file = join(pki.dir, name);
    writeFileSync(file, webYaml);
    const a = await startAgent({ args: ['run', '--root-path', root, '--interval', '200ms', '--web-config', file], waitReady: false });
    agents.push(a);
    await waitReadyTls(a, clientOpts);
    return a;
  }

  describe('TLS + basic auth', () => {
    let a: Agent;
    let url: string;
    before(async () => {
      const hash = bcrypt.hashSync(PASSWORD, 10);
      a = await start(
        `tls_server_config:\n  cert_file: server.pem\n  key_file: server-key.pem\nbasic_auth_users:\n  ${USER}: '${hash}'\n`,
        'web-auth.yml',
        { ca: pki.caCert, auth: `${USER}:${PASSWORD}` },
      );
      url = `https://127.0.0.1:${a.port}`;
    });

    it('serves /metrics over TLS to a client that trusts the CA and knows the password', async () => {
      const r = await httpsGet(`${url}/metrics`, { ca: pki.caCert, auth: `${USER}:${PASSWORD}` });
      assert.equal(r.status, 200);
      const expo = parseExposition(r.body);
      assert.ok(findSample(expo, 'system_network_io_bytes_total', { network_interface_name: 'eth0', network_io_direction: 'receive' }));
      assert.ok(a.stderrLines.some((l) => l.includes(`serving /metrics on https://127.0.0.1:${a.port}/metrics`) && l.endsWith('; basic auth for 1 user')), a.stderrLines.join('\n'));
    });

    it('answers 401 with a Basic challenge to a wrong password, an unknown user and no credentials, on every path but the probes', async () => {
      for (const auth of [`${USER}:wrong`, `nobody:${PASSWORD}`, undefined]) {
        for (const path of ['/metrics', '/', '/api/v1/interfaces', '/api/v1/events', '/no-such-path', '/healthz/x', '/readyz/']) {
          const r = await httpsGet(`${url}${path}`, { ca: pki.caCert, ...(auth ? { auth } : {}) });
          assert.equal(r.status, 401, `${path} with ${auth ?? 'no credentials'}`);
          assert.match(String(r.headers['www-authenticate']), /^Basic realm="otel-netif"/);
          assert.equal(r.body, 'Unauthorized\n');
        }
      }
    });

    it('answers the probes without credentials (kubelet has none), over TLS only', async () => {
      for (const auth of [undefined, `${USER}:wrong`]) {
        const health = await httpsGet(`${url}/healthz`, { ca: pki.caCert, ...(auth ? { auth } : {}) });
        assert.deepEqual([health.status, health.body], [200, 'ok\n']);
        const ready = await httpsGet(`${url}/readyz?verbose`, { ca: pki.caCert, ...(auth ? { auth } : {}) });
        assert.deepEqual([ready.status, ready.body], [200, 'ready\n']);
      }
      await assert.rejects(plainGet(`http://127.0.0.1:${a.port}/healthz`), /socket hang up|ECONNRESET|Parse Error|EPROTO/);
    });

    it('refuses plain HTTP on the TLS port', async () => {
      await assert.rejects(plainGet(`http://127.0.0.1:${a.port}/metrics`), /socket hang up|ECONNRESET|Parse Error|EPROTO/);
    });

    it('is refused by a client that does not trust the CA, or trusts another one', async () => {
      await assert.rejects(httpsGet(`${url}/metrics`, { auth: `${USER}:${PASSWORD}` }), /self[- ]signed|unable to (get|verify)|UNABLE_TO/i);
      await assert.rejects(httpsGet(`${url}/metrics`, { ca: pki.otherCaCert, auth: `${USER}:${PASSWORD}` }), /self[- ]signed|unable to (get|verify)|UNABLE_TO/i);
    });

    it('never logs the password', () => {
      assert.ok(a.stderrLines.every((l) => !l.includes(PASSWORD)));
    });
  });

  describe('client certificates (RequireAndVerifyClientCert)', () => {
    let url: string;
    before(async () => {
      const a = await start(
        'tls_server_config:\n  cert_file: server.pem\n  key_file: server-key.pem\n  client_ca_file: test-ca.pem\n  client_auth_type: RequireAndVerifyClientCert\n',
        'web-mtls.yml',
        { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey },
      );
      url = `https://127.0.0.1:${a.port}`;
    });

    it('lets in a client certificate from client_ca_file, and nothing else', async () => {
      assert.equal((await httpsGet(`${url}/metrics`, { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey })).status, 200);
      await assert.rejects(httpsGet(`${url}/metrics`, { ca: pki.caCert }), /certificate|socket hang up|ECONNRESET|alert/i);
      await assert.rejects(httpsGet(`${url}/metrics`, { ca: pki.caCert, cert: pki.otherClientCert, key: pki.otherClientKey }), /certificate|socket hang up|ECONNRESET|alert/i);
    });
  });

  it('refuses to start with a broken web config: one line, exit 2', async () => {
    const file = join(pki.dir, 'web-broken.yml');
    writeFileSync(file, 'tls_server_config:\n  cert_file: server.pem\n  key_file: client-key.pem\n');
    const r = await runCli(['run', '--root-path', root, '--web-config', file]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `otel-netif: --web-config ${JSON.stringify(file)}: tls_server_config.key_file: ${pki.clientKey} is not the key of ${pki.serverCert} (see otel-netif --help)\n`);
  });
});
