import type { EventOf } from '../history/events.ts';
import type { History } from '../history/history.ts';
import { encodeHistogram, newHistogram, recordMs, type Histogram } from '../metrics/histogram.ts';
import { secondOf } from '../metrics/labels.ts';
import { isK6Trend } from '../scenario/metric-names.ts';
import type { K6Point } from './k6-runner.ts';

// k6 samples reach the history as one k6.aggregate event per second of history time: per metric and
// tag set a count, sum, min and max, and for timings an HDR histogram in the layout the metrics fold
// uses. At 10,000 sockets a sample per event would be most of the history (about 400 bytes each, seven
// per connection before any message); aggregated, its size follows seconds x series.

type Series = EventOf<'k6.aggregate'>['series'][number];

interface Accumulator {
  metric: string;
  tags: Record<string, string>;
  count: number;
  sum: number;
  min: number;
  max: number;
  histogram: Histogram | undefined;
}

const tagKey = (tags: Record<string, string>): string =>
  Object.keys(tags)
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join(',');

export class K6Aggregator {
  private second = -1;
  private firstMs = 0;
  private lastMs = 0;
  private readonly open = new Map<string, Accumulator>();
  /** The processes heard from in the open second: first and last sample of each. */
  private readonly heard = new Map<string, { firstMs: number; lastMs: number }>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  /** `checkEveryMs`: how often a second that got no later sample is looked at, and written once closed. */
  constructor(
    private readonly history: History,
    options: { checkEveryMs?: number } = {},
  ) {
    this.timer = setInterval(() => this.writeClosedSecond(), options.checkEveryMs ?? 250);
    this.timer.unref();
  }

  /**
   * One sample, in the second of history time it arrived in (as a k6.point's `t` would say), from the
   * k6 process named `process` (scenario/k6-runs.ts k6ProcessName); unnamed only when a history recorded
   * before processes were named is aggregated again (verdict/fixtures).
   */
  add(point: Pick<K6Point, 'metric' | 'value' | 'tags'>, process?: string): void {
    if (this.closed) throw new Error('K6Aggregator: add() after close()');
    const now = this.history.now();
    const second = secondOf(now);
    if (second !== this.second) {
      this.write();
      this.second = second;
      this.firstMs = now;
    }
    this.lastMs = now;
    if (process !== undefined) {
      const h = this.heard.get(process);
      if (h) h.lastMs = now;
      else this.heard.set(process, { firstMs: now, lastMs: now });
    }
    const key = `${point.metric}{${tagKey(point.tags)}}`;
    let acc = this.open.get(key);
    if (!acc) {
      acc = { metric: point.metric, tags: point.tags, count: 0, sum: 0, min: Infinity, max: -Infinity, histogram: isK6Trend(point.metric) ? newHistogram() : undefined };
      this.open.set(key, acc);
    }
    acc.count++;
    acc.sum += point.value;
    if (point.value < acc.min) acc.min = point.value;
    if (point.value > acc.max) acc.max = point.value;
    if (acc.histogram) recordMs(acc.histogram, point.value);
  }

  /** Writes the open second; called when k6 has stopped, before the run's end is recorded. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.write();
  }

  /** Writes the open second once history time has passed it (the timer's job; callable directly). */
  writeClosedSecond(): void {
    if (secondOf(this.history.now()) > this.second) this.write();
  }

  private write(): void {
    if (this.open.size === 0) return;
    const series: Series[] = [...this.open.values()].map((a) => ({
      metric: a.metric,
      tags: a.tags,
      count: a.count,
      sum: a.sum,
      min: a.min,
      max: a.max,
      ...(a.histogram ? { hdr: encodeHistogram(a.histogram) } : {}),
    }));
    const processes = [...this.heard].map(([name, h]) => ({ name, ...h }));
    this.open.clear();
    this.heard.clear();
    this.history.record({ type: 'k6.aggregate', second: this.second, firstMs: this.firstMs, lastMs: this.lastMs, ...(processes.length ? { processes } : {}), series });
  }
}
