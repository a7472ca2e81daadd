import type { LinkInfo } from '../types.js';

/** The sysfs files under /sys/class/net/<iface>/ the receiver reads. */
export const LINK_ATTRIBUTES = ['operstate', 'carrier', 'speed', 'mtu'] as const;
export type LinkAttribute = (typeof LINK_ATTRIBUTES)[number];

/** 1 Mb/s in bytes per second: sysfs speed is in megabits (10^6 bits), so ×10^6 / 8. */
export const BYTES_PER_SECOND_PER_MBPS = 125_000;

const INTEGER = /^-?\d+$/;

function integer(text: string): number | undefined {
  const t = text.trim();
  return INTEGER.test(t) ? Number(t) : undefined;
}

/** operstate ("up", "down", "unknown", "dormant", ...), trimmed; empty → undefined. */
export function parseOperstate(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  // One string per state for all interfaces, not a fresh one per interface read (24 B each).
  return OPERSTATES.get(t) ?? t;
}

/** RFC 2863's states, as the kernel spells them in operstate. */
const OPERSTATES = new Map(['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'].map((s) => [s, s]));

/** carrier: "1" → true, "0" → false, anything else → undefined. */
export function parseCarrier(text: string): boolean | undefined {
  const t = text.trim();
  return t === '1' ? true : t === '0' ? false : undefined;
}

/**
 * speed in Mb/s → bytes per second. -1 (SPEED_UNKNOWN), 0, empty and non-numeric → undefined; so is
 * 4294967295, the same -1 printed unsigned by older kernels and some drivers.
 */
export function parseSpeedBytesPerSecond(text: string): number | undefined {
  const mbps = integer(text);
  if (mbps === undefined || mbps <= 0 || mbps >= 0xffffffff) return undefined;
  return mbps * BYTES_PER_SECOND_PER_MBPS;
}

/** mtu in bytes; non-numeric or negative → undefined. */
export function parseMtu(text: string): number | undefined {
  const mtu = integer(text);
  return mtu === undefined || mtu < 0 ? undefined : mtu;
}

/** Builds LinkInfo from raw attribute texts (undefined = file unreadable); unknown values are left out. */
export function parseLinkInfo(raw: Partial<Record<LinkAttribute, string | undefined>>): LinkInfo {
  const info: LinkInfo = {};
  const operstate = raw.operstate === undefined ? undefined : parseOperstate(raw.operstate);
  if (operstate !== undefined) info.operstate = operstate;
  const carrier = raw.carrier === undefined ? undefined : parseCarrier(raw.carrier);
  if (carrier !== undefined) info.carrier = carrier;
  const speed = raw.speed === undefined ? undefined : parseSpeedBytesPerSecond(raw.speed);
  if (speed !== undefined) info.speedBytesPerSecond = speed;
  const mtu = raw.mtu === undefined ? undefined : parseMtu(raw.mtu);
  if (mtu !== undefined) info.mtu = mtu;
  return info;
}

/**
 * The `up` gauge: 1 for operstate "up", or "unknown" with carrier (loopback and tun report "unknown");
 * 0 otherwise; undefined without operstate.
 */
export function linkUp(link: LinkInfo): number | undefined {
  if (link.operstate === undefined) return undefined;
  if (link.operstate === 'up') return 1;
  return link.operstate === 'unknown' && link.carrier === true ? 1 : 0;
}
