// The configuration loader under fast-check: YAML text, environment and flags from every option
// of the table, valid and not. Declared behaviour: a LoadedConfig or one ConfigError listing
// one-line problems, never another exception, never slow. And the whole CLI on random argv: an
// exit code and one-line messages, never the "unexpected error" that marks a bug.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParameters, fuzzTimeoutMs, within } from '../../../../test-support/fuzz.js';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { OPTIONS } from '../../src/config/options.js';
import type { FlagValues } from '../../src/config/resolve.js';
import { main } from '../../src/main.js';

const RUNS = 300;
const KEYS = OPTIONS.map((o) => o.key);
const ENV_NAMES = [...OPTIONS.flatMap((o) => o.env.map((e) => e.name)), 'OTEL_NETIF_INTERVALL', 'OTEL_NETIF_'];

// Values that are near-misses of real ones, plus anything at all.
const nearValue = fc.constantFrom(
  '5s', '0', '100ms', '99ms', '1m30s', '-1', '1e3', 'NaN', '10', '', ' ', 'prometheus,otlp', 'none', 'none,otlp',
  '127.0.0.1:9464', '[::1]:0', ':99999', 'http://localhost:4318', 'grpc', 'http/json', 'udp', 'eth*', '[a-', 'veth[z-a]',
  'k=v', '=v', 'k=', 'a=b,c', '1Gbit', '12 parsecs', '/', '/nonexistent', 'debug', 'verbose', 'x'.repeat(300),
);
const value = fc.oneof(nearValue, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));

const yamlScalar = fc.oneof(value.map((v) => JSON.stringify(v)), fc.constantFrom('null', '~', 'true', '12', '1.5', '[]', '{}', '[a, b]', '{k: v}', '&a x', '*a', '!!binary x', '|'));
const yamlDoc = fc.oneof(
  fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), yamlScalar), { maxLength: 8 }).map((kv) => kv.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join('\n')),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
);

const env = fc.dictionary(fc.constantFrom(...ENV_NAMES), value, { maxKeys: 6 });
const flags: fc.Arbitrary<FlagValues> = fc.dictionary(
  fc.constantFrom(...KEYS.filter((k) => k !== 'config')),
  fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.boolean()),
  { maxKeys: 6 },
);

describe('fuzz: configuration loader', function () {
  this.timeout(fuzzTimeoutMs(RUNS));

  for (const command of ['run', 'snapshot'] as const) {
    it(`${command}: YAML + env + flags give a config or one ConfigError of one-line problems`, () => {
      fc.assert(
        fc.property(yamlDoc, env, flags, fc.boolean(), (text, e, f, withFile) => {
          try {
            const loaded = within(500, 'loadConfig', () =>
              loadConfig({ command, flags: withFile ? { ...f, config: 'fuzz.yaml' } : f, env: e, readFile: () => text }),
            );
            assert.ok(loaded.config.intervalMs >= 100);
            for (const w of loaded.warnings) assert.ok(!w.includes('\n'), w);
          } catch (err) {
            assert.ok(err instanceof ConfigError, `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
            assert.ok(err.problems.length > 0);
            for (const p of err.problems) assert.ok(p !== '' && !p.includes('\n'), JSON.stringify(p));
          }
        }),
        fuzzParameters(RUNS),
      );
    });
  }
});

describe('fuzz: the CLI on random argv', function () {
  this.timeout(fuzzTimeoutMs(RUNS));

  it('ends with an exit code and one-line messages, never an unexpected error', async () => {
    const token = fc.oneof(
      fc.constantFrom(...KEYS.map((k) => `--${k}`), '-c', '-h', '--help', '-V', '--nope', '--', '-', 'snapshot', 'run', 'extra'),
      fc.tuple(fc.constantFrom(...KEYS), value).map(([k, v]) => `--${k}=${v}`),
      value,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 8 }), async (argv) => {
        let stdout = '';
        let stderr = '';
        // Whatever came before, the last --root-path names nothing: a valid command line then
        // fails at start-up (exit 1) instead of starting an agent.
        const args = ['run', ...argv.filter((a) => a !== '--'), '--root-path', '/nonexistent/otel-netif-fuzz'];
        const code = await main(args, {
          stdout: (t) => void (stdout += t),
          stderr: (t) => void (stderr += t),
          env: {},
          signals: new (await import('node:events')).EventEmitter(),
        });
        const help = args.some((a) => ['-h', '--help', '-V', '--version'].includes(a));
        assert.ok(code === 1 || code === 2 || (code === 0 && help), `exit ${code} for ${JSON.stringify(args)}: ${stderr}`);
        assert.doesNotMatch(stderr, /unexpected error/, stderr);
        // One-line errors, or the agent's own log lines (warnings about the settings).
        for (const line of stderr.split('\n').filter((l) => l !== '')) assert.match(line, /^(otel-netif: |\d{4}-\d\d-\d\dT[\d:.]+Z (debug|info |warn |error) )/);
        if (code !== 0) assert.ok(stderr.length > 0, 'failed without saying why');
        void stdout;
      }),
      fuzzParameters(Math.round(RUNS / 2)),
    );
  });
});
