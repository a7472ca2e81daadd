import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test-support/ports.js';
import { onCleanup } from './cleanup.js';
import { benchInterfaceNames, writeFixture } from './fixture.js';
import { BenchNamespace, BusyNamespace, removeStaleNamespaces } from './netns.js';

/** Where the servers run: a namespace with real taps, or a generated tree they are pointed at. */
export interface BenchEnv {
  readonly mode: 'netns' | 'fixture';
  /** --root-path for otel-netif ("/" in a namespace: /proc and /sys already show its interfaces). */
  readonly rootPath: string;
  /** Grows to N bench interfaces (plus loopback); returns how long that took. */
  grow(n: number): Promise<number>;
  wrap(cmd: string, args: readonly string[]): [string, string[]];
  /** A port for a server; in a namespace its loopback is ours alone, so fixed ports are safe. */
  port(fixed: number): Promise<number>;
  destroy(): void;
}

export function netnsEnv(): BenchEnv {
  const stale = removeStaleNamespaces();
  if (stale.length > 0) process.stderr.write(`bench: removed namespaces left by killed runs: ${stale.join(', ')}\n`);
  return namespaceEnv(new BenchNamespace());
}

/** A namespace of this run as the measurements see it. */
export function namespaceEnv(ns: BenchNamespace | BusyNamespace): BenchEnv {
  return {
    mode: 'netns',
    rootPath: '/',
    grow: async (n) => ns.growTo(n),
    wrap: (cmd, args) => ns.wrap(cmd, args),
    port: async (fixed) => fixed,
    destroy: () => ns.destroy(),
  };
}

export function fixtureEnv(): BenchEnv {
  const root = mkdtempSync(join(tmpdir(), 'otel-netif-bench-'));
  const drop = onCleanup(() => rmSync(root, { recursive: true, force: true }));
  return {
    mode: 'fixture',
    rootPath: root,
    grow: async (n) => {
      const started = performance.now();
      await writeFixture(root, benchInterfaceNames(n));
      return performance.now() - started;
    },
    wrap: (cmd, args) => [cmd, [...args]],
    // Other engineers' servers share the host's loopback: let the OS pick.
    port: async () => freePort(),
    destroy: () => {
      drop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
