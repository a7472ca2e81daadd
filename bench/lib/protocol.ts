import type { RssSummary } from './proc.js';

/** Requests the orchestrator sends to the scrape client (one JSON object per line on stdin). */
export type ClientRequest =
  | { op: 'wait'; id: number; url: string; timeoutMs: number }
  | {
      op: 'scrape';
      id: number;
      url: string;
      pid: number;
      warmup: number;
      count: number;
      /** Stop early (but after at least `minCount`) when the scrapes take longer than this. */
      budgetMs: number;
      minCount: number;
      gzip: boolean;
    }
  | {
      op: 'paced';
      id: number;
      url: string;
      pid: number;
      /** Wait this long first: started right after readiness, it puts scrapes mid-way between samples. */
      offsetMs: number;
      periodMs: number;
      windowMs: number;
      gzip: boolean;
    };

export interface BodyInfo {
  status: number;
  contentEncoding: string;
  wireBytes: number;
  bytes: number;
  /** Sample lines (not comments). */
  series: number;
  /** Distinct interface label values seen: proves the server saw the namespace's interfaces. */
  interfaces: number;
  families: string[];
}

export interface ScrapeResult extends RssSummary {
  latenciesMs: number[];
  cpuMs: number;
  threads: number;
  body: BodyInfo;
}

export interface PacedResult extends RssSummary {
  cpuMs: number;
  windowMs: number;
  scrapes: number;
  latenciesMs: number[];
}

export type ClientResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };
