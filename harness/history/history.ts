import type { HistoryEvent, HistoryEventInput } from './events.ts';

// The history is append-only. Two implementations share this interface: MemoryHistory (tests, short
// runs; bounded per event type) and FileHistory (NDJSON on disk; memory stays flat on long runs).

export interface HistoryStats {
  size: number;
  byType: Record<string, number>;
  /** Events refused because a type's budget was full. Non-zero means the verdict cannot pass. */
  dropped: Record<string, number>;
}

export interface History {
  /** Append one event; `t` is ms since the run started (see `now()`). */
  append(event: HistoryEventInput): void;
  /** Append with `t = now()`. */
  record(event: DistributiveOmit<HistoryEventInput, 't'>): void;
  /** Milliseconds since this history was created: the run's clock. */
  now(): number;
  readonly size: number;
  stats(): HistoryStats;
  /** Every kept event, in append order. */
  events(): AsyncIterable<HistoryEvent>;
  close(): Promise<void>;
}

export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Fill the defaults the schema would fill, without paying for a full parse on the hot path. */
export function normalize(e: HistoryEventInput): HistoryEvent {
  if (e.type === 'k6.point' && e.tags === undefined) return { ...e, tags: {} };
  if (e.type === 'pod.sample' && e.connections === undefined) return { ...e, connections: {} };
  return e as HistoryEvent;
}

export abstract class BaseHistory implements History {
  protected readonly byType: Record<string, number> = {};
  protected readonly dropped: Record<string, number> = {};
  protected count = 0;
  private readonly origin: number;

  constructor(clock: () => number = () => performance.now()) {
    this.clock = clock;
    this.origin = clock();
  }
  private readonly clock: () => number;

  now(): number {
    return Math.max(0, this.clock() - this.origin);
  }

  get size(): number {
    return this.count;
  }

  record(event: DistributiveOmit<HistoryEventInput, 't'>): void {
    this.append({ ...event, t: this.now() } as HistoryEventInput);
  }

  stats(): HistoryStats {
    return { size: this.count, byType: { ...this.byType }, dropped: { ...this.dropped } };
  }

  abstract append(event: HistoryEventInput): void;
  abstract events(): AsyncIterable<HistoryEvent>;
  abstract close(): Promise<void>;
}
