import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/load.js';
import { CliError, StartupError, UsageError } from '../../src/errors.js';

describe('errors that end a command', () => {
  it('name themselves, whatever the bundle calls their classes, and carry their exit code', () => {
    const cases: [CliError, string, number][] = [
      [new CliError('x', 3), 'CliError', 3],
      [new UsageError('x'), 'UsageError', 2],
      [new StartupError('x'), 'StartupError', 1],
      [new ConfigError(['a', 'b']), 'ConfigError', 2],
    ];
    for (const [e, name, code] of cases) {
      assert.equal(e.name, name);
      assert.equal(e.exitCode, code);
      assert.ok(e instanceof CliError);
    }
    assert.equal(new ConfigError(['a', 'b']).message, 'a\nb');
  });
});
