/** A sink for pipeline snapshots. Exporters never stop sampling: they fail on their own. */
export interface Exporter {
  readonly name: string;
  start(): Promise<void>;
  /** Flush what is pending once, release ports and timers. */
  shutdown(): Promise<void>;
}
