import { readFileSync } from 'node:fs';

/**
 * What the agent's launcher (the bundle's first two lines, `#!/bin/sh` and `":" //; [VAR=value …]
 * exec node [flags …] "$0" "$@"`, written by scripts/bundle.mjs from scripts/launcher.mjs) sets for
 * the agent: the bench and the tests run `node <flags> otel-netif.js` with that environment, so
 * that they measure and test the agent as `otel-netif` starts it, while still choosing the node
 * binary. A file without that header: none.
 */
export function agentLauncher(bin: string): { env: string[]; nodeFlags: string[] } {
  const [first, second = ''] = readFileSync(bin, 'utf8').split('\n', 2);
  const words = first === '#!/bin/sh' ? /^":" \/\/; (.*) "\$0" "\$@"$/.exec(second)?.[1]?.split(/ +/) ?? [] : [];
  const exec = words.indexOf('exec');
  if (exec === -1 || words[exec + 1] !== 'node') return { env: [], nodeFlags: [] };
  return { env: words.slice(0, exec), nodeFlags: words.slice(exec + 2) };
}
