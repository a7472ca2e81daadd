import type { InterfaceCounters } from '@otel-netif/receiver-netif';
/**
 * The JSON shape of /api/v1 (documented in docs/live-views.md). Every local view — the page, SSE,
 * `top`, remote `top` — reads this one shape, so a remote agent and the local one look the same.
 * Unknown values are null, never absent, so clients can tell "not known" from "not sent".
 */
export const API_VERSION = 1;

/** Per second over the last sampling interval; null until a second sample exists. */
export interface LiveRates {
  rxBytes: number | null;
  txBytes: number | null;
  rxPackets: number | null;
  txPackets: number | null;
  rxErrors: number | null;
  txErrors: number | null;
  rxDrops: number | null;
  txDrops: number | null;
}

/** The sixteen /proc/net/dev counters: totals since the interface's counters started (usually boot). */
export type LiveCounters = InterfaceCounters;

/** Totals counted by this agent since it first saw the interface (survive counter resets). */
export interface LiveTotals {
  rxBytes: number;
  txBytes: number;
  rxPackets: number;
  txPackets: number;
  errors: number;
  drops: number;
  /** ISO time the agent started counting. */
  since: string;
}

export interface LiveInterface {
  name: string;
  /** sysfs operstate ("up", "down", "unknown", …). */
  operstate: string | null;
  /** Operationally up (operstate up, or unknown with carrier). */
  up: boolean | null;
  carrier: boolean | null;
  speedBytesPerSecond: number | null;
  mtu: number | null;
  rates: LiveRates;
  /** 0..1 of the link speed (or --max-bandwidth); null when no capacity is known. */
  utilization: { rx: number | null; tx: number | null };
  counters: LiveCounters;
  sinceStart: LiveTotals;
}

export interface LiveSnapshot {
  version: typeof API_VERSION;
  host: string;
  /** Sample time. */
  time: string;
  timeUnixMs: number;
  /** Sampling round, +1 per sample: a client sees a missed or repeated update. */
  seq: number;
  /** The agent's sampling interval. */
  intervalMs: number;
  interfaces: LiveInterface[];
}

export interface LiveHistory {
  version: typeof API_VERSION;
  host: string;
  intervalMs: number;
  /** Slots the ring keeps at most. */
  capacity: number;
  seconds: number | null;
  /** Sample times (epoch ms), oldest first. */
  t: number[];
  /** Per interface: per-second rates aligned with `t`; null where unknown. */
  interfaces: Record<string, { rxBytes: (number | null)[]; txBytes: (number | null)[]; rxPackets: (number | null)[]; txPackets: (number | null)[] }>;
}

export function totalRate(i: LiveInterface): number {
  return (i.rates.rxBytes ?? 0) + (i.rates.txBytes ?? 0);
}
