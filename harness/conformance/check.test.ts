import { describe, expect, it } from 'vitest';
import { conformanceExitCode, outcomeLine, skipReason, summaryLine, type CheckOutcome } from './check.ts';
import { CONFORMANCE_CHECKS } from './checks.ts';
import { selectChecks } from './run-conformance.ts';

const outcome = (id: string, status: CheckOutcome['status']): CheckOutcome => ({ id, title: id, status, detail: `${status} detail`, durationMs: 1 });

describe('skipReason', () => {
  it('applies when nothing the check needs is absent', () => {
    expect(skipReason({ needs: ['webhooks'] }, { absent: { xhr_polling: 'none here' } })).toBeUndefined();
    expect(skipReason({ needs: [] }, { absent: { webhooks: 'x', xhr_polling: 'y' } })).toBeUndefined();
  });

  it('names every missing need with its reason', () => {
    expect(skipReason({ needs: ['webhooks', 'xhr_polling'] }, { absent: { xhr_polling: 'sockudo has no HTTP fallback', webhooks: 'no receiver' } })).toBe(
      'needs webhooks: no receiver; needs xhr_polling: sockudo has no HTTP fallback',
    );
  });
});

describe('conformanceExitCode', () => {
  it('is 0 only when every check that ran passed, skips aside', () => {
    expect(conformanceExitCode([outcome('a', 'pass'), outcome('b', 'skip')])).toBe(0);
    expect(conformanceExitCode([outcome('a', 'pass'), outcome('b', 'fail'), outcome('c', 'skip')])).toBe(1);
  });

  it('is 1 when nothing ran: all skipped or no checks is never green', () => {
    expect(conformanceExitCode([outcome('a', 'skip')])).toBe(1);
    expect(conformanceExitCode([])).toBe(1);
  });
});

describe('lines', () => {
  it('one line per check with its status and detail, and a count summary', () => {
    expect(outcomeLine(outcome('rest.batch-events', 'fail'))).toMatch(/^FAIL rest\.batch-events +fail detail$/);
    expect(summaryLine('sockudo', [outcome('a', 'pass'), outcome('b', 'skip'), outcome('c', 'skip')])).toBe('conformance of sockudo: 1 passed, 0 failed, 2 skipped (of 3 checks)');
  });
});

describe('the check registry', () => {
  it('has unique ids, and the fallback checks need their transport', () => {
    const ids = CONFORMANCE_CHECKS.map((c) => c.id);
    expect(ids.length).toBeGreaterThanOrEqual(19);
    expect(new Set(ids).size).toBe(ids.length);
    const fallback = CONFORMANCE_CHECKS.filter((c) => c.id.includes('xhr_'));
    expect(fallback.map((c) => c.id)).toHaveLength(4);
    for (const c of fallback) expect(c.needs.some((n) => /xhr_(polling|streaming)$/.test(n))).toBe(true);
  });

  it('--only selects by id or prefix and refuses a name that matches nothing', () => {
    expect(selectChecks(['rest.keepalive']).map((c) => c.id)).toEqual(['rest.keepalive-raw', 'rest.keepalive-pusher-client']);
    expect(selectChecks(undefined)).toBe(CONFORMANCE_CHECKS);
    expect(() => selectChecks(['rest.nope'])).toThrow(/no check named rest\.nope/);
  });
});
