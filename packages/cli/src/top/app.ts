import { parseKeys } from './keys.js';
import { renderScreen } from './screen.js';
import { visibleRowIds } from './section.js';
import type { SectionSource } from './sources.js';
import { initialState, reduce, settleSelection, type TopState } from './state.js';
import type { Terminal } from './terminal.js';

export interface TopAppOptions {
  intervalMs: number;
  bits: boolean;
  /** "HH:MM:SS" for the title; injectable so tests see a fixed clock. */
  clock?: () => string;
}

const localClock = (): string => new Date().toLocaleTimeString('en-GB', { hour12: false });

/**
 * The interactive view: redraws on every new sample, key and resize, until `q`, Ctrl-C, SIGTERM,
 * SIGHUP or stdin closing. Resolves once the terminal is restored.
 */
export function runTopApp(terminal: Terminal, sources: SectionSource[], opts: TopAppOptions): Promise<void> {
  let state: TopState = initialState(opts.bits);
  const sections = sources.map((s) => s.section);
  const clock = opts.clock ?? localClock;
  return new Promise<void>((resolve) => {
    let done = false;
    let clockTimer: NodeJS.Timeout | undefined;
    const draw = (): void => {
      if (done) return;
      const { width, height } = terminal.size();
      state = settleSelection(state, visibleRowIds(sections, state.sort, state.filter));
      terminal.draw(renderScreen({ sections, state, width, height, intervalMs: opts.intervalMs, clock: clock(), nowMs: Date.now() }));
    };
    const stop = (): void => {
      if (done) return;
      done = true;
      if (clockTimer) clearInterval(clockTimer);
      for (const s of sources) s.stop();
      terminal.leave();
      resolve();
    };
    const onKeys = (chunk: string): void => {
      const rows = visibleRowIds(sections, state.sort, state.filter);
      const page = Math.max(1, terminal.size().height - 4);
      for (const key of parseKeys(chunk)) state = reduce(state, key, rows, page);
      if (state.quit) stop();
      else draw();
    };
    terminal.enter({ onKeys, onResize: draw, onStop: stop });
    for (const s of sources) s.start(draw);
    // The clock and "waiting…" lines move even when no sample arrives (a remote host hanging).
    clockTimer = setInterval(draw, 1000);
    draw();
  });
}
