/**
 * The settings this feature adds to the CLI's Config (the option table in config/options.ts
 * defines their flags, variables and YAML keys; docs/live-views.md explains them).
 */
export interface LiveConfig {
  /** run: --no-ui: no page, JSON API or event stream on the --listen address. */
  noUi: boolean;
  /** run: --history-size: slots in the rate history ring. */
  historySize: number;
  /** run: --history-memory: bytes the history's rows may take before it keeps fewer slots. */
  historyMemory: number;
  /** run: --events-file: append event lines here instead of stdout. */
  eventsFile: string | undefined;
  /** run: --events-all: an event line for every sample, also idle ones. */
  eventsAll: boolean;
  /** top: --remote: agents to watch instead of this host. */
  remote: string[];
  /** top: --bits: rates in bits per second. */
  bits: boolean;
  /** top: --once: print one table and exit. */
  once: boolean;
}

/** top samples faster than the agent: people watch it. */
export const TOP_DEFAULT_INTERVAL_MS = 1000;
