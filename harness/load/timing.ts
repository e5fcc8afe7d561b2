/** Bounded waiting: every sleep ends on abort, every ticker ends by count and by time. */

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface TickerOptions {
  ratePerS: number;
  /** The ticker stops after this long whatever happens. */
  maxDurationMs: number;
  signal: AbortSignal;
  /** Called with 1, 2, 3...; a tick that is late is skipped, never bunched up. */
  onTick(n: number): void;
}

/** Fixed-rate ticks aligned to the start time; resolves when stopped or out of time. */
export async function runTicker(opts: TickerOptions): Promise<void> {
  const periodMs = 1000 / opts.ratePerS;
  const start = performance.now();
  const maxTicks = Math.ceil(opts.maxDurationMs / periodMs) + 1;
  let n = 0;
  while (!opts.signal.aborted && n < maxTicks) {
    const elapsed = performance.now() - start;
    if (elapsed >= opts.maxDurationMs) break;
    // Next tick index from the clock: a stalled loop skips ticks instead of firing a burst.
    n = Math.max(n + 1, Math.floor(elapsed / periodMs) + 1);
    opts.onTick(n);
    await sleep(start + n * periodMs - performance.now(), opts.signal);
  }
}
