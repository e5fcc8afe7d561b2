import { HistoryClosedError } from '../history/errors.ts';
import { FaultError, type ActionDefinition, type FaultContext } from './fault.ts';

interface Pending {
  timer: NodeJS.Timeout | undefined;
  run: (trigger: 'timer' | 'teardown') => Promise<void>;
}

/**
 * The heal steps of the actions applied so far. Each runs once: on its own timer (`durationS`) or at
 * teardown, whichever comes first, and is recorded as action.healed with what it read back.
 */
export class PendingHeals {
  private readonly pending = new Map<number, Pending>();
  private readonly running = new Set<Promise<void>>();

  /** After `action` applied: arm its heal, if it has one. */
  arm(ctx: FaultContext, action: ActionDefinition, params: unknown): void {
    const heal = action.heal;
    if (!heal) return;
    const { index, type, target } = ctx.action;
    let started = false;
    const entry: Pending = {
      timer: undefined,
      run: async (trigger) => {
        if (started) return;
        started = true;
        clearTimeout(entry.timer);
        this.pending.delete(index);
        const base = { type: 'action.healed', index, action: type, target, heal: heal.describe(target, params), trigger } as const;
        try {
          const evidence = await heal.run(ctx, target, params);
          record(ctx, { ...base, ok: true, evidence });
        } catch (err) {
          record(ctx, { ...base, ok: false, error: (err as Error).message, ...(err instanceof FaultError && err.evidence ? { evidence: err.evidence } : {}) });
        }
      },
    };
    this.pending.set(index, entry);
    const afterS = heal.afterS(params);
    if (afterS !== undefined) entry.timer = setTimeout(() => this.track(entry.run('timer')), afterS * 1000);
  }

  /** Runs every heal not yet run, latest action first (as a teardown does), and waits for those already running. */
  async healAll(): Promise<void> {
    for (const entry of [...this.pending.values()].reverse()) await entry.run('teardown');
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private track(p: Promise<void>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }
}

function record(ctx: FaultContext, event: Parameters<FaultContext['history']['record']>[0]): void {
  try {
    ctx.history.record(event);
  } catch (err) {
    // An interrupted run may close its history before the last heals ran: they still run.
    if (!(err instanceof HistoryClosedError)) throw err;
  }
}
