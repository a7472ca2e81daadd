import type { InterfaceCounters } from '../../src/types.js';

export const HEADER =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

export const ZERO: InterfaceCounters = {
  rxBytes: 0, rxPackets: 0, rxErrs: 0, rxDrop: 0, rxFifo: 0, rxFrame: 0, rxCompressed: 0, rxMulticast: 0,
  txBytes: 0, txPackets: 0, txErrs: 0, txDrop: 0, txFifo: 0, txColls: 0, txCarrier: 0, txCompressed: 0,
};

/** Counters with the given fields set and the rest 0. */
export function counters(partial: Partial<InterfaceCounters> = {}): InterfaceCounters {
  return { ...ZERO, ...partial };
}

/** One line the way the kernel prints it ("%6s:%8llu %7llu ..."). */
export function kernelLine(name: string, c: InterfaceCounters): string {
  const v = Object.values(c) as number[];
  const widths = [8, 7, 4, 4, 4, 5, 10, 9, 8, 7, 4, 4, 4, 5, 7, 10];
  return `${name.padStart(6)}:${v.map((x, i) => String(x).padStart(widths[i]!)).join(' ')}\n`;
}

/** A whole /proc/net/dev file. */
export function procNetDev(ifaces: Record<string, Partial<InterfaceCounters>>): string {
  return HEADER + Object.entries(ifaces).map(([name, c]) => kernelLine(name, counters(c))).join('');
}
