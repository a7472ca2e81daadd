import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makePki, opensslUnavailableReason } from '../../../../test-support/pki.js';
import type { Pki } from '../../../../test-support/pki.js';
import { httpsGet } from '../../../../test/security/https-client.js';
import { createHttpServer } from '../../src/http/server.js';
import type { HttpServer } from '../../src/http/server.js';
import { parseWebConfig } from '../../src/http/web-config.js';
import { silentLogger } from '../../src/log.js';

describe('HTTP server with TLS: client certificate policies (exporter-toolkit names)', function () {
  this.timeout(20_000);
  let pki: Pki;
  let server: HttpServer | undefined;

  before(function () {
    const reason = opensslUnavailableReason();
    if (reason) {
      process.stderr.write(`      skipping: ${reason}\n`);
      this.skip();
    }
    pki = makePki();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  after(() => pki?.remove());

  async function serve(clientAuth: string): Promise<string> {
    const ca = clientAuth === 'NoClientCert' ? '' : '\n  client_ca_file: test-ca.pem';
    const web = parseWebConfig(`tls_server_config:\n  cert_file: server.pem\n  key_file: server-key.pem\n  client_auth_type: ${clientAuth}${ca}\n`, join(pki.dir, 'web.yml'));
    server = createHttpServer({ host: '127.0.0.1', port: 0, web }, silentLogger);
    server.addRoute('GET', '/x', (_req, res) => void res.end('ok'));
    await server.start();
    assert.match(server.url(), /^https:\/\/127\.0\.0\.1:\d+\/$/);
    return `${server.url()}x`;
  }

  const none = () => ({ ca: pki.caCert });
  const good = () => ({ ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });
  const foreign = () => ({ ca: pki.caCert, cert: pki.otherClientCert, key: pki.otherClientKey });
  const outcome = (p: Promise<{ status: number }>) => p.then((r) => r.status, () => 'refused' as const);

  const table: [string, [number | 'refused', number | 'refused', number | 'refused']][] = [
    // [policy, [no client certificate, one from client_ca_file, one from another CA]]
    ['NoClientCert', [200, 200, 200]],
    ['RequestClientCert', [200, 200, 200]],
    ['RequireAnyClientCert', ['refused', 200, 200]],
    ['VerifyClientCertIfGiven', [200, 200, 'refused']],
    ['RequireAndVerifyClientCert', ['refused', 200, 'refused']],
  ];
  for (const [policy, expected] of table) {
    it(`${policy}: no certificate → ${expected[0]}, a trusted one → ${expected[1]}, a foreign one → ${expected[2]}`, async () => {
      const url = await serve(policy);
      assert.deepEqual([await outcome(httpsGet(url, none())), await outcome(httpsGet(url, good())), await outcome(httpsGet(url, foreign()))], expected);
    });
  }
});
