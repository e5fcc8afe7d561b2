/**
 * Fallback capacity (2021-09 / 2021-12 reports: the SockJS fleet saturated under a surge).
 * At most `maxConcurrent` requests are served at once, each taking at least `costMs`; the rest wait
 * in a queue (latency rises) and beyond `queueLimit` waiting requests are refused (503).
 * maxConcurrent = 0 means unlimited, the healthy default.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly queueLimit: number,
    private readonly costMs: number,
    private readonly onQueueChange: (n: number) => void = () => {},
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `fn` in a slot; returns undefined (without running it) when refused. */
  async run<T>(fn: () => T | Promise<T>): Promise<{ value: T } | undefined> {
    if (this.maxConcurrent > 0 && this.active >= this.maxConcurrent) {
      if (this.waiting.length >= this.queueLimit) return undefined;
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        this.onQueueChange(this.waiting.length);
      });
      this.onQueueChange(this.waiting.length);
    } else {
      this.active++;
    }
    try {
      if (this.costMs > 0) await new Promise((r) => setTimeout(r, this.costMs));
      return { value: await fn() };
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // hand our slot over
      else this.active--;
    }
  }
}
