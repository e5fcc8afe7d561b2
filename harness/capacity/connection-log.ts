import { percentile } from './fit.ts';

/**
 * What the clients of one breakpoint run saw, whatever drives them (k6 or Node): attempts, each
 * established connection's connect time, failures by reason, and closes, all time-stamped (ms since
 * the epoch) so a step can read its own window and an OOM kill can be placed exactly.
 */
export class ConnectionLog {
  attempted = 0;
  readonly connects: { at: number; ms: number }[] = [];
  readonly failures: { at: number; reason: string }[] = [];
  readonly closes: number[] = [];

  /** p99 connect time of connections established in (from, to]; null below `minSamples`. */
  connectP99(from: number, to: number, minSamples = 5): number | null {
    const ms = this.connects.filter((c) => c.at > from && c.at <= to).map((c) => c.ms);
    return ms.length >= minSamples ? (percentile(ms, 99) ?? null) : null;
  }

  /**
   * Most connections open at once up to `until`. A kill closes every connection within a few ms,
   * and Docker stamps the exit slightly later, so the peak (not the count at the stamp) is the
   * number the pod held when it died.
   */
  peakOpen(until = Infinity): number {
    const events = [...this.connects.map((c) => ({ at: c.at, d: 1 })), ...this.closes.map((at) => ({ at, d: -1 }))]
      .filter((e) => e.at <= until)
      .sort((a, b) => a.at - b.at || b.d - a.d);
    let open = 0;
    let peak = 0;
    for (const e of events) {
      open += e.d;
      peak = Math.max(peak, open);
    }
    return peak;
  }
}
