/**
 * One conformance check: a name, what it needs of the server, and a function that resolves with
 * what it saw when the server behaves as the protocol says and throws (with what it saw instead)
 * when not. Outcomes are pass, fail, or skip with the reason the server lacks what it needs.
 */
import type { ConformanceTarget, Need } from './target.ts';
import type { CheckContext } from './check-context.ts';

export interface ConformanceCheck {
  /** Stable, dotted: `channels.private`, `rest.keepalive-alignment`. */
  id: string;
  /** What the check asks of the server, in a few words. */
  title: string;
  needs: readonly Need[];
  run(ctx: CheckContext): Promise<string>;
}

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckOutcome {
  id: string;
  title: string;
  status: CheckStatus;
  /** pass: what was seen; fail: what went wrong; skip: why it does not apply. */
  detail: string;
  durationMs: number;
}

/** Why a check does not apply to this target, or undefined when it does. */
export function skipReason(check: Pick<ConformanceCheck, 'needs'>, target: Pick<ConformanceTarget, 'absent'>): string | undefined {
  const missing = check.needs.filter((n) => target.absent[n] !== undefined);
  if (missing.length === 0) return undefined;
  return missing.map((n) => `needs ${n}: ${target.absent[n]}`).join('; ');
}

/** 0 when every applicable check passed and at least one ran; 1 otherwise (none ran is never green). */
export function conformanceExitCode(outcomes: readonly CheckOutcome[]): 0 | 1 {
  const ran = outcomes.filter((o) => o.status !== 'skip');
  return ran.length > 0 && ran.every((o) => o.status === 'pass') ? 0 : 1;
}

export function outcomeLine(o: CheckOutcome): string {
  return `${o.status.toUpperCase().padEnd(4)} ${o.id.padEnd(32)} ${o.detail}`;
}

export function summaryLine(server: string, outcomes: readonly CheckOutcome[]): string {
  const n = (s: CheckStatus) => outcomes.filter((o) => o.status === s).length;
  return `conformance of ${server}: ${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped (of ${outcomes.length} checks)`;
}
