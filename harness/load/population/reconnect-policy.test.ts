import { describe, expect, it } from 'vitest';
import { backoffMs, closeClass, nextStep } from './reconnect-policy.ts';
import { seededRandom } from './seeded-random.ts';

const backoff = { strategy: 'backoff' as const, baseMs: 100, maxMs: 1000, jitter: false, fallbackAfterFailures: 2 };
const immediate = { ...backoff, strategy: 'immediate' as const };
const zero = (): number => 0;

describe('close-code ranges (pusher-js)', () => {
  it.each([
    [4001, 'give-up'],
    [4099, 'give-up'],
    [4100, 'back-off'],
    [4199, 'back-off'],
    [4200, 'reconnect-now'],
    [4299, 'reconnect-now'],
    [1006, 'by-policy'],
    [1000, 'by-policy'],
    [4300, 'by-policy'],
    [undefined, 'by-policy'],
  ])('%s → %s', (code, cls) => {
    expect(closeClass(code)).toBe(cls);
  });
});

describe('nextStep', () => {
  it('4000-4099: never reconnect, whatever the policy', () => {
    expect(nextStep(immediate, { reason: 'close', code: 4001 }, 1, zero)).toEqual({ action: 'give-up' });
  });

  it('4100-4199: back off even when the policy says immediate', () => {
    expect(nextStep(immediate, { reason: 'close', code: 4100 }, 3, zero)).toEqual({ action: 'retry', delayMs: 400 });
  });

  it('4200-4299: reconnect now even when the policy backs off', () => {
    expect(nextStep(backoff, { reason: 'close', code: 4200 }, 5, zero)).toEqual({ action: 'retry', delayMs: 0 });
  });

  it('1006, HTTP 502/503, refused: the policy decides', () => {
    for (const f of [{ reason: 'close' as const, code: 1006 }, { reason: 'http' as const, code: 503 }, { reason: 'refused' as const }]) {
      expect(nextStep(immediate, f, 4, zero)).toEqual({ action: 'retry', delayMs: 0 });
      expect(nextStep(backoff, f, 4, zero)).toEqual({ action: 'retry', delayMs: 800 });
    }
  });

  it('an HTTP status is never read as a close code', () => {
    // 4xxx as an HTTP status is impossible, but a 4200 close must not be confused with reason http.
    expect(nextStep(backoff, { reason: 'http', code: 4001 }, 1, zero)).toEqual({ action: 'retry', delayMs: 100 });
  });
});

describe('backoffMs', () => {
  it('doubles from base and stops at max', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(backoff, n, zero))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('equal jitter stays within [half, full] and depends only on the seed', () => {
    const jit = { ...backoff, jitter: true };
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = [1, 2, 3, 4].map((n) => backoffMs(jit, n, a));
    expect([1, 2, 3, 4].map((n) => backoffMs(jit, n, b))).toEqual(xs);
    xs.forEach((x, i) => {
      const full = Math.min(1000, 100 * 2 ** i);
      expect(x).toBeGreaterThanOrEqual(full / 2);
      expect(x).toBeLessThanOrEqual(full);
    });
    expect(new Set(xs.map((x, i) => x / Math.min(1000, 100 * 2 ** i))).size).toBeGreaterThan(1);
  });
});
