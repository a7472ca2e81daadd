import type { HrTime } from '@opentelemetry/api';

/** The sixteen counters of one /proc/net/dev line, in the kernel's column order. */
export interface InterfaceCounters {
  rxBytes: number;
  rxPackets: number;
  rxErrs: number;
  rxDrop: number;
  rxFifo: number;
  rxFrame: number;
  rxCompressed: number;
  rxMulticast: number;
  txBytes: number;
  txPackets: number;
  txErrs: number;
  txDrop: number;
  txFifo: number;
  txColls: number;
  txCarrier: number;
  txCompressed: number;
}

/** A line of input the parser could not use; the other lines are still returned. */
export interface ParseProblem {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

/** One line of /proc/net/dev; ProcNetDevParser may rewrite it two parses later (see there). */
export interface ParsedInterface {
  name: string;
  counters: InterfaceCounters;
}

export interface ProcNetDev {
  interfaces: ParsedInterface[];
  problems: ParseProblem[];
}

/** What sysfs says about a link. A field the kernel does not know (missing file, EINVAL, -1) is absent. */
export interface LinkInfo {
  operstate?: string;
  carrier?: boolean;
  /** Link speed in bytes per second (sysfs reports Mb/s). */
  speedBytesPerSecond?: number;
  mtu?: number;
}

/**
 * One interface in a sample. Its counters object is the receiver's: it keeps its values through the
 * next sample, and when the interface's counters changed in both samples after it, the later one
 * takes the same object back with the new values (ProcNetDevParser; an idle interface keeps its
 * object as it is). Read a sample's counters before the sample after next, or copy what you keep.
 * The InterfaceSample object itself is never modified.
 */
export interface InterfaceSample {
  name: string;
  counters: InterfaceCounters;
  link: LinkInfo;
  /** When this interface was first seen, or its counters were last reset (wall clock). */
  startTime: HrTime;
}

export interface NetifSample {
  /** Wall-clock time of the read, derived from the monotonic clock so it never goes back. */
  time: HrTime;
  /** monotonicNowMs() at the read, for durations and rates. */
  monotonicMs: number;
  interfaces: InterfaceSample[];
  /** Problems found while reading (parse problems, unreadable metadata); the sample is still usable. */
  problems: string[];
  /** Interfaces /proc/net/dev listed, before include/exclude and the cap. */
  listed?: number;
  /** Interfaces left out by maxInterfaces this round (0 when no cap is set). */
  capped?: number;
}
