import { describe, expect, it } from 'vitest';
import { composeVariant } from './compose.ts';
import { exitCodeFor } from '../platform/exit-codes.ts';
import type { SloResult, Status } from './types.ts';

const r = (id: string, status: Status): SloResult => ({ id, title: id, kind: 'ratio', why: '', threshold: 'rate>=0.99', status, value: status === 'unknown' ? null : 0.5, unit: 'ratio', detail: `${id} detail`, window: undefined });

describe('variant composition', () => {
  it('incident reproduced when at least the expected SLOs breach', () => {
    const v = composeVariant('incident', { breach: ['a', 'b'] }, [r('a', 'fail'), r('b', 'fail'), r('c', 'fail'), r('d', 'pass')]);
    expect(v).toMatchObject({ status: 'reproduced', met: true, unexpectedBreaches: ['c'] });
  });

  it('incident rotted when an expected breach held or had no data', () => {
    const v = composeVariant('incident', { breach: ['a', 'b'] }, [r('a', 'fail'), r('b', 'unknown')]);
    expect(v.status).toBe('rotted');
    expect(v.met).toBe(false);
    expect(v.reasons).toEqual(['b: expected to breach, but there was no data (b detail)']);
    expect(composeVariant('incident', { breach: ['a'] }, [r('a', 'pass')]).status).toBe('rotted');
  });

  it('remediated held only when every SLO passes; broken on a failure; inconclusive on missing data', () => {
    expect(composeVariant('remediated', { hold: 'all' }, [r('a', 'pass'), r('b', 'pass')])).toMatchObject({ status: 'held', met: true });
    expect(composeVariant('remediated', { hold: 'all' }, [r('a', 'pass'), r('b', 'fail'), r('c', 'unknown')])).toMatchObject({ status: 'broken', met: false });
    expect(composeVariant('remediated', { hold: 'all' }, [r('a', 'pass'), r('c', 'unknown')])).toMatchObject({ status: 'inconclusive', met: false });
    expect(composeVariant('remediated', { hold: 'all' }, []).status).toBe('inconclusive');
  });

  it('exit code: 0 when every variant met its expectation, 1 otherwise, 2 when nothing was judged', () => {
    expect(exitCodeFor([{ met: true }, { met: true }])).toBe(0);
    expect(exitCodeFor([{ met: true }, { met: false }])).toBe(1);
    expect(exitCodeFor([])).toBe(2);
  });
});
