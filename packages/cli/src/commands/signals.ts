export const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * Resolves with the first stop signal. While the listener is installed Node does not die on the
 * signal, so shutdown stays ours; `dispose` hands the signals back to Node's default (a second
 * Ctrl-C after dispose kills at once, which is what a user pressing it twice wants).
 */
export function nextStopSignal(emitter: NodeJS.EventEmitter = process): { signal: Promise<StopSignal>; dispose: () => void } {
  const handlers: [StopSignal, () => void][] = [];
  const dispose = () => {
    for (const [sig, h] of handlers) emitter.off(sig, h);
    handlers.length = 0;
  };
  const signal = new Promise<StopSignal>((resolve) => {
    for (const sig of STOP_SIGNALS) {
      const h = () => {
        dispose();
        resolve(sig);
      };
      handlers.push([sig, h]);
      emitter.on(sig, h);
    }
  });
  return { signal, dispose };
}

/** True when `work` settled within `ms`; the timer never keeps the process alive on its own. */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => true as const, () => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
