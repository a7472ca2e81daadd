import assert from 'node:assert/strict';
import {
  findSample,
  namespaceRoot,
  startAgent,
  type Agent,
  type AgentOptions,
  type Exposition,
  type Namespace,
  type NamespaceRoot,
} from '../../test-support/index.js';

export const IO_BYTES = 'system_network_io_bytes_total';
export const PACKETS = 'system_network_packet_count_total';
export const IO_RATE = 'system_network_io_rate_bytes_per_second';
export const IFACE = 'network_interface_name';
export const DIRECTION = 'network_io_direction';

export type Direction = 'receive' | 'transmit';

export interface NamespaceAgent {
  agent: Agent;
  root: NamespaceRoot;
  stop(): Promise<void>;
}

/**
 * The agent in the host's network namespace, reading the test namespace through a --root-path
 * (see namespaceRoot): it listens on the host's 127.0.0.1, where this process and a real
 * Prometheus reach it without entering the namespace.
 */
export async function startNamespaceAgent(ns: Namespace, args: string[], opts: Omit<AgentOptions, 'args'> = {}): Promise<NamespaceAgent> {
  const root = await namespaceRoot(ns);
  const agent = await startAgent({ ...opts, args: ['run', ...args, '--root-path', root.path] });
  return {
    agent,
    root,
    stop: async () => {
      try {
        await agent.stop();
      } finally {
        await root.close();
      }
    },
  };
}

/** The value of one interface/direction series, or undefined when the agent does not serve it. */
export function value(expo: Exposition, metric: string, iface: string, direction?: Direction): number | undefined {
  return findSample(expo, metric, { [IFACE]: iface, ...(direction ? { [DIRECTION]: direction } : {}) })?.value;
}

/** Like value, but the series must be there. */
export function mustValue(expo: Exposition, metric: string, iface: string, direction?: Direction): number {
  const v = value(expo, metric, iface, direction);
  assert.notEqual(v, undefined, `${metric}{${IFACE}="${iface}"${direction ? `,${DIRECTION}="${direction}"` : ''}} is not served; got:\n${expo.text}`);
  return v as number;
}
