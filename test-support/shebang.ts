import { readFileSync } from 'node:fs';

/**
 * What the agent's shebang (`#!/usr/bin/env -S [VAR=value …] node [flags …]`, written in src/bin.ts
 * and carried into the bundle) sets for the agent: the bench and the tests run `node <flags>
 * otel-netif.js` with that environment, so that they measure and test the agent as `otel-netif`
 * starts it, while still choosing the node binary.
 */
export function agentShebang(bin: string): { env: string[]; nodeFlags: string[] } {
  const first = readFileSync(bin, 'utf8').split('\n', 1)[0] ?? '';
  const words = /^#!\S*env -S (.*)$/.exec(first)?.[1]?.trim().split(/ +/) ?? [];
  const node = words.indexOf('node');
  if (node === -1) return { env: [], nodeFlags: [] };
  return { env: words.slice(0, node), nodeFlags: words.slice(node + 1) };
}

