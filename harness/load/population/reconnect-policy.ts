/**
 * What a client does after a failed attempt or a dropped connection, by close-code range as
 * pusher-js does: 4000-4099 never reconnect (the server refused the app or protocol), 4100-4199
 * reconnect after a back-off (over capacity), 4200-4299 reconnect now (e.g. the server restarts);
 * anything else (1006, HTTP 502/503, refused, timeout) follows the scenario's policy.
 */
import type { FailureReason } from '../../history/events.ts';
import type { ReconnectPolicy } from '../../scenario/schema.ts';
import type { Random } from './seeded-random.ts';

export type CloseClass = 'give-up' | 'back-off' | 'reconnect-now' | 'by-policy';

export function closeClass(code: number | undefined): CloseClass {
  if (code === undefined) return 'by-policy';
  if (code >= 4000 && code <= 4099) return 'give-up';
  if (code >= 4100 && code <= 4199) return 'back-off';
  if (code >= 4200 && code <= 4299) return 'reconnect-now';
  return 'by-policy';
}

/**
 * base·2^(retry-1) capped at max. With jitter, "equal jitter": half fixed, half random, so clients
 * that dropped together spread out but none retries sooner than half the back-off.
 */
export function backoffMs(policy: Pick<ReconnectPolicy, 'baseMs' | 'maxMs' | 'jitter'>, retry: number, random: Random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(30, Math.max(0, retry - 1)));
  return policy.jitter ? exp / 2 + random() * (exp / 2) : exp;
}

export type NextStep = { action: 'give-up' } | { action: 'retry'; delayMs: number };

export interface Failure {
  reason: FailureReason;
  /** Close code (reason `close`) or HTTP status (reason `http`). */
  code?: number | undefined;
}

/** `retry` counts reconnect attempts since the last success, from 1. */
export function nextStep(policy: ReconnectPolicy, failure: Failure, retry: number, random: Random): NextStep {
  const cls = failure.reason === 'close' ? closeClass(failure.code) : 'by-policy';
  switch (cls) {
    case 'give-up':
      return { action: 'give-up' };
    case 'reconnect-now':
      return { action: 'retry', delayMs: 0 };
    case 'back-off':
      return { action: 'retry', delayMs: backoffMs(policy, retry, random) };
    case 'by-policy':
      return { action: 'retry', delayMs: policy.strategy === 'immediate' ? 0 : backoffMs(policy, retry, random) };
  }
}
