/**
 * Runs the checks against one target, one at a time: each gets fresh clients and channels and a
 * time bound, and ends as pass, fail (with what the server did) or skip (with why it does not apply).
 */
import { startAuthEndpoint } from './auth-endpoint.ts';
import { skipReason, type CheckOutcome, type ConformanceCheck } from './check.ts';
import { LiveCheckContext } from './check-context.ts';
import { CONFORMANCE_CHECKS } from './checks.ts';
import { ConformanceInputError, type ConformanceTarget } from './target.ts';
import { WebhookInbox } from './webhook-inbox.ts';

export interface ConformanceOptions {
  /** Bound on each wait inside a check (a delivery, a subscription, a response). */
  timeoutMs: number;
  /** Called with each outcome as it is decided. */
  onOutcome?(o: CheckOutcome): void;
  /** A receiver already started (the server was configured with its URL); else one on target.webhookPort. */
  inbox?: WebhookInbox;
  checks?: readonly ConformanceCheck[];
}

/** The checks named by `--only` (ids or id prefixes such as `rest.`), refusing names that match none. */
export function selectChecks(only: readonly string[] | undefined, all: readonly ConformanceCheck[] = CONFORMANCE_CHECKS): readonly ConformanceCheck[] {
  if (!only || only.length === 0) return all;
  const unmatched = only.filter((o) => !all.some((c) => c.id === o || c.id.startsWith(o)));
  if (unmatched.length > 0) throw new ConformanceInputError(`--only: no check named ${unmatched.join(', ')}; the checks are ${all.map((c) => c.id).join(', ')}`);
  return all.filter((c) => only.some((o) => c.id === o || c.id.startsWith(o)));
}

function withBound<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, bound]).finally(() => clearTimeout(timer));
}

export async function runConformance(target: ConformanceTarget, opts: ConformanceOptions): Promise<CheckOutcome[]> {
  const checks = opts.checks ?? CONFORMANCE_CHECKS;
  const auth = await startAuthEndpoint(target.app);
  const ownInbox = !opts.inbox && target.webhookPort !== undefined ? await WebhookInbox.start(target.app, target.webhookPort) : undefined;
  const inbox = opts.inbox ?? ownInbox;
  const runTag = Date.now().toString(36);
  const outcomes: CheckOutcome[] = [];
  try {
    for (const check of checks) {
      const started = performance.now();
      const skip = skipReason(check, target);
      let outcome: CheckOutcome;
      if (skip !== undefined) {
        outcome = { id: check.id, title: check.title, status: 'skip', detail: skip, durationMs: 0 };
      } else {
        const ctx = new LiveCheckContext(target, auth, inbox, opts.timeoutMs, runTag);
        try {
          const detail = await withBound(check.run(ctx), opts.timeoutMs * 4 + 10_000, check.id);
          outcome = { id: check.id, title: check.title, status: 'pass', detail, durationMs: performance.now() - started };
        } catch (err) {
          outcome = { id: check.id, title: check.title, status: 'fail', detail: (err as Error).message, durationMs: performance.now() - started };
        } finally {
          ctx.close();
        }
      }
      outcomes.push(outcome);
      opts.onOutcome?.(outcome);
    }
  } finally {
    await auth.stop();
    await ownInbox?.stop();
  }
  return outcomes;
}
