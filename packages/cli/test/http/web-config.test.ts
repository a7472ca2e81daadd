import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { makePki, opensslUnavailableReason } from '../../../../test-support/pki.js';
import type { Pki } from '../../../../test-support/pki.js';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/load.js';
import { WebConfigError, loadWebConfig, parseWebConfig } from '../../src/http/web-config.js';

const HASH = bcrypt.hashSync('s3cret', 4);

describe('web config (node_exporter format)', function () {
  this.timeout(20_000);
  let pki: Pki;

  before(function () {
    const reason = opensslUnavailableReason();
    if (reason) {
      process.stderr.write(`      skipping: ${reason}\n`);
      this.skip();
    }
    pki = makePki();
  });
  after(() => pki?.remove());

  /** The one-line message parseWebConfig throws for `text`. */
  function problem(text: string): string {
    try {
      parseWebConfig(text, join(pki.dir, 'web.yml'));
    } catch (err) {
      assert.ok(err instanceof WebConfigError, String(err));
      assert.ok(!err.message.includes('\n'), err.message);
      return err.message;
    }
    assert.fail('no error');
  }

  it('loads TLS with paths relative to the file, a client CA, versions and users', () => {
    const c = parseWebConfig(
      [
        'tls_server_config:',
        '  cert_file: server.pem',
        '  key_file: server-key.pem',
        '  client_ca_file: test-ca.pem',
        '  client_auth_type: RequireAndVerifyClientCert',
        '  min_version: TLS13',
        'basic_auth_users:',
        `  alice: '${HASH}'`,
        `  bob: '${HASH.replace(/^\$2b\$/, '$2y$')}'`,
      ].join('\n'),
      join(pki.dir, 'web.yml'),
    );
    assert.equal(c.tls?.certFile, pki.serverCert);
    assert.equal(c.tls?.clientAuth, 'RequireAndVerifyClientCert');
    assert.equal(c.tls?.minVersion, 'TLSv1.3');
    assert.deepEqual([...c.users!.keys()], ['alice', 'bob']);
  });

  it('defaults to TLS 1.2 at least and no client certificates; RequireClientCert is the old name of RequireAnyClientCert', () => {
    const c = parseWebConfig('tls_server_config: {cert_file: server.pem, key_file: server-key.pem, client_auth_type: RequireClientCert, client_ca_file: test-ca.pem}', join(pki.dir, 'w.yml'));
    assert.equal(c.tls?.minVersion, 'TLSv1.2');
    assert.equal(c.tls?.clientAuth, 'RequireAnyClientCert');
    assert.equal(parseWebConfig(`basic_auth_users: {a: '${HASH}'}`, 'x.yml').tls, undefined);
  });

  it('says exactly what is wrong, in one line', () => {
    assert.equal(problem('tls_server_config: {key_file: server-key.pem}'), 'tls_server_config.cert_file: required (the server certificate, PEM)');
    assert.equal(problem('tls_server_config: {cert_file: server.pem}'), 'tls_server_config.key_file: required (the private key of cert_file, PEM)');
    assert.equal(problem('tls_server_config: {cert_file: nope.pem, key_file: server-key.pem}'), `tls_server_config.cert_file: cannot read ${join(pki.dir, 'nope.pem')} (ENOENT)`);
    assert.equal(problem('tls_server_config: {cert_file: server-key.pem, key_file: server-key.pem}'), `tls_server_config.cert_file: ${pki.serverKey} holds no valid PEM certificate`);
    assert.equal(problem('tls_server_config: {cert_file: server.pem, key_file: server.pem}'), `tls_server_config.key_file: ${pki.serverCert} holds no valid PEM private key (or it is encrypted)`);
    assert.equal(problem('tls_server_config: {cert_file: server.pem, key_file: client-key.pem}'), `tls_server_config.key_file: ${pki.clientKey} is not the key of ${pki.serverCert}`);
    assert.equal(
      problem('tls_server_config: {cert_file: server.pem, key_file: server-key.pem, client_auth_type: Maybe}'),
      'tls_server_config.client_auth_type: "Maybe" is not one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert',
    );
    assert.equal(
      problem('tls_server_config: {cert_file: server.pem, key_file: server-key.pem, client_ca_file: test-ca.pem}'),
      'tls_server_config.client_ca_file: set, but client_auth_type is NoClientCert (set e.g. client_auth_type: RequireAndVerifyClientCert)',
    );
    assert.equal(
      problem('tls_server_config: {cert_file: server.pem, key_file: server-key.pem, client_auth_type: RequireAndVerifyClientCert}'),
      'tls_server_config.client_auth_type: RequireAndVerifyClientCert needs client_ca_file (the CA that signs client certificates)',
    );
    assert.equal(problem('tls_server_config: {cert_file: server.pem, key_file: server-key.pem, min_version: TLS14}'), 'tls_server_config.min_version: "TLS14" is not one of TLS10, TLS11, TLS12, TLS13');
    assert.equal(problem('tls_server_config: {cert_file: server.pem, key_file: server-key.pem, min_version: TLS13, max_version: TLS12}'), 'tls_server_config.max_version: lower than min_version');
    assert.equal(
      problem('tls_server_config: {cert_file: server.pem, key_file: server-key.pem, cipher_suites: [TLS_AES_128_GCM_SHA256]}'),
      'tls_server_config.cipher_suites: valid for node_exporter but not supported by otel-netif (supported: cert_file, key_file, client_ca_file, client_auth_type, min_version, max_version)',
    );
    assert.equal(problem('tls_config: {}'), 'tls_config: unknown key (supported: tls_server_config, basic_auth_users)');
    assert.equal(problem('http_server_config: {http2: false}'), 'http_server_config: valid for node_exporter but not supported by otel-netif (supported: tls_server_config, basic_auth_users)');
    assert.equal(problem('basic_auth_users: {alice: hunter2}'), 'basic_auth_users.alice: not a bcrypt hash (generate one with: htpasswd -nbBC 10 "" \'PASSWORD\' | tr -d \':\\n\')');
    assert.equal(problem(`basic_auth_users: {"a:b": '${HASH}'}`), 'basic_auth_users: "a:b" is not a valid user name (non-empty, no ":")');
    assert.equal(problem('basic_auth_users: {}'), 'basic_auth_users: empty (list at least one user, or remove the key)');
    assert.equal(problem('- a'), 'must be a mapping with tls_server_config and/or basic_auth_users, as for node_exporter');
    assert.equal(problem(''), 'empty (give tls_server_config and/or basic_auth_users, as for node_exporter)');
    assert.match(problem('a: [b'), /^not valid YAML: /);
  });

  it('never echoes what was given for a password hash (a pasted plain password must not reach a log)', () => {
    assert.ok(!problem('basic_auth_users: {alice: correct-horse-battery}').includes('correct-horse'));
  });

  it('is the --web-config option: one config problem naming the flag or variable, exit 2', () => {
    const file = join(pki.dir, 'bad-web.yml');
    writeFileSync(file, 'tls_server_config: {cert_file: server.pem}\n');
    for (const [input, where] of [
      [{ flags: { 'web-config': file } }, `--web-config ${JSON.stringify(file)}`],
      [{ env: { OTEL_NETIF_WEB_CONFIG: file } }, `OTEL_NETIF_WEB_CONFIG=${JSON.stringify(file)}`],
    ] as const) {
      assert.throws(
        () => loadConfig({ command: 'run', ...input }),
        (e: unknown) => e instanceof ConfigError && e.exitCode === 2 && e.problems.length === 1 && e.problems[0] === `${where}: tls_server_config.key_file: required (the private key of cert_file, PEM)`,
      );
    }
    assert.throws(() => loadConfig({ command: 'run', flags: { 'web-config': join(pki.dir, 'missing.yml') } }), /: cannot read the file \(ENOENT\)$/);
    const good = join(pki.dir, 'good-web.yml');
    writeFileSync(good, 'tls_server_config: {cert_file: server.pem, key_file: server-key.pem}\n');
    assert.equal(loadConfig({ command: 'run', flags: { 'web-config': good } }).config.webConfig?.tls?.keyFile, pki.serverKey);
    assert.equal(loadWebConfig(good).file, good);
  });
});
