import type { HistoryEvent, HistoryEventInput } from './events.ts';
import { normalize, type DistributiveOmit, type History, type HistoryStats } from './history.ts';

/**
 * A history that also hands every appended event to listeners, so a live view (conditions for gates
 * and wait.until, the progress line) sees the run as it happens without re-reading the file.
 */
export class ObservedHistory implements History {
  private readonly listeners: ((e: HistoryEvent) => void)[] = [];

  constructor(private readonly inner: History) {}

  subscribe(listener: (e: HistoryEvent) => void): void {
    this.listeners.push(listener);
  }

  append(event: HistoryEventInput): void {
    this.inner.append(event);
    const e = normalize(event);
    for (const l of this.listeners) l(e);
  }

  record(event: DistributiveOmit<HistoryEventInput, 't'>): void {
    this.append({ ...event, t: this.now() } as HistoryEventInput);
  }

  now(): number {
    return this.inner.now();
  }

  get size(): number {
    return this.inner.size;
  }

  stats(): HistoryStats {
    return this.inner.stats();
  }

  events(): AsyncIterable<HistoryEvent> {
    return this.inner.events();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
