// The web config loader under fast-check: any YAML shape, any file contents behind the paths it
// names. Declared behaviour: a WebConfig or a one-line WebConfigError, nothing else.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParameters, fuzzTimeoutMs, within } from '../../../../test-support/fuzz.js';
import { WebConfigError, parseWebConfig } from '../../src/http/web-config.js';

const RUNS = 400;

const scalar = fc.oneof(
  fc.constantFrom('cert.pem', 'key.pem', '', 'NoClientCert', 'RequireAndVerifyClientCert', 'TLS12', 'TLS13', 'null', '[]', '{}', '$2y$10$' + 'a'.repeat(53)),
  fc.string({ maxLength: 30 }),
);
const tlsSection = fc.dictionary(fc.constantFrom('cert_file', 'key_file', 'client_ca_file', 'client_auth_type', 'min_version', 'max_version', 'cipher_suites', 'bogus'), scalar, { maxKeys: 6 });
const users = fc.dictionary(fc.string({ maxLength: 10 }), scalar, { maxKeys: 3 });
const doc = fc.oneof(
  fc.record({ tls_server_config: fc.oneof(tlsSection, scalar), basic_auth_users: fc.oneof(users, scalar), http_server_config: fc.constant({}) }, { requiredKeys: [] }).map((d) => JSON.stringify(d)),
  fc.string({ maxLength: 200 }),
);
// What sits behind a path: nothing, garbage, or PEM-looking garbage.
const fileContents = fc.oneof(
  fc.constant(undefined),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.string({ maxLength: 60 }).map((b) => `-----BEGIN CERTIFICATE-----\n${b}\n-----END CERTIFICATE-----\n`),
  fc.string({ maxLength: 60 }).map((b) => `-----BEGIN PRIVATE KEY-----\n${b}\n-----END PRIVATE KEY-----\n`),
);

describe('fuzz: web config', function () {
  this.timeout(fuzzTimeoutMs(RUNS));

  it('gives a WebConfig or one one-line WebConfigError', () => {
    fc.assert(
      fc.property(doc, fileContents, (text, contents) => {
        const readFile = (path: string): Buffer => {
          if (contents === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
          return Buffer.from(contents, 'utf8');
        };
        try {
          within(500, 'parseWebConfig', () => parseWebConfig(text, '/etc/otel-netif/web.yml', readFile));
        } catch (err) {
          assert.ok(err instanceof WebConfigError, `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
          assert.ok(err.message !== '' && !err.message.includes('\n'), JSON.stringify(err.message));
        }
      }),
      fuzzParameters(RUNS),
    );
  });
});
