import { HistoryClosedError } from './errors.ts';
import type { HistoryEvent, HistoryEventInput } from './events.ts';
import { BaseHistory, normalize } from './history.ts';

export interface MemoryHistoryOptions {
  /** Most events kept per type; beyond it events are counted as dropped, never kept. */
  budgetPerType?: number;
  clock?: () => number;
}

/** In-memory history for tests and short runs. Bounded: a chatty type cannot exhaust memory. */
export class MemoryHistory extends BaseHistory {
  private readonly kept: HistoryEvent[] = [];
  private readonly budget: number;
  private closed = false;

  constructor(options: MemoryHistoryOptions = {}) {
    super(options.clock);
    this.budget = options.budgetPerType ?? 250_000;
  }

  static of(events: HistoryEventInput[]): MemoryHistory {
    const h = new MemoryHistory({ budgetPerType: Number.MAX_SAFE_INTEGER });
    for (const e of events) h.append(e);
    return h;
  }

  append(event: HistoryEventInput): void {
    if (this.closed) throw new HistoryClosedError();
    const n = this.byType[event.type] ?? 0;
    if (n >= this.budget) {
      this.dropped[event.type] = (this.dropped[event.type] ?? 0) + 1;
      return;
    }
    this.byType[event.type] = n + 1;
    this.count++;
    this.kept.push(normalize(event));
  }

  /** Synchronous view for pure folds and tests. */
  list(): readonly HistoryEvent[] {
    return this.kept;
  }

  async *events(): AsyncIterable<HistoryEvent> {
    yield* this.kept;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
