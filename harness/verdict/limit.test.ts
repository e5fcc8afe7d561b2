import { describe, expect, it } from 'vitest';
import type { EventOf, HistoryEvent } from '../history/events.ts';
import { observeSync } from '../metrics/fold.ts';
import type { Slo } from '../scenario/schema.ts';
import { judgeSlo } from './slo.ts';

// A per-pod cap judged at its boundary, on constructed cap-probe findings.

const slo: Slo = { id: 'cap', title: 't', why: 'w', kind: 'limit', probe: 'c', refusal: 'close:1006', threshold: 'value<=2', window: undefined };
const finding = (over: Partial<EventOf<'limit.checked'>> = {}): HistoryEvent[] => [
  { type: 'limit.checked', t: 3000, probe: 'c', deployment: 'new', pod: 'new-1', transport: 'ws', limit: 1000, openBefore: 1, admitted: 999, refusal: 'close:1006', refusedByServer: { max_connections: 50 }, checked: 3, working: 3, ...over },
  { type: 'run.phase', t: 10_000, phase: 'teardown' },
];
const judge = (over: Partial<EventOf<'limit.checked'>> = {}) => judgeSlo(slo, observeSync(finding(over)), []);

describe('limit SLO', () => {
  it('passes when the pod refuses exactly at its cap, for the stated reason, and admitted connections work', () => {
    const r = judge();
    expect(r).toMatchObject({ status: 'pass', value: 0 });
    expect(r.detail).toBe('new-1: 1 open before + 999 admitted = 1000 at the first refusal, limit 1000; refusal close:1006 (pod counted 50 max_connections); 3 of 3 admitted connections received');
  });

  it('within the stated tolerance passes; a cap enforced earlier or later than it fails', () => {
    expect(judge({ admitted: 997 })).toMatchObject({ status: 'pass', value: 2 });
    expect(judge({ admitted: 989 })).toMatchObject({ status: 'fail', value: 10 });
    expect(judge({ admitted: 1010 })).toMatchObject({ status: 'fail', value: 11 });
  });

  it("counts the pod's own gauge too: another client moving one count is no breach, an off-by-one cap moves both and is", () => {
    const exact: Slo = { ...slo, threshold: 'value<=0' } as Slo;
    const judgeExact = (over: Partial<EventOf<'limit.checked'>>) => judgeSlo(exact, observeSync(finding(over)), []);
    // A subscriber reconnected onto the pod while the probe filled it: the probe got one fewer, the pod was at its cap.
    expect(judgeExact({ admitted: 998, openAfter: 1000 })).toMatchObject({ status: 'pass', value: 0 });
    // A cap enforced one below its value (the pod refuses the 1000th): both counts say 999.
    const early = judgeExact({ admitted: 998, openAfter: 999 });
    expect(early).toMatchObject({ status: 'fail', value: 1 });
    expect(early.detail).toContain("= 999 at the first refusal (the pod's gauge: 999), limit 1000");
  });

  it('fails when the pod never refused, refused for another reason, or did not count it as max_connections', () => {
    expect(judge({ refusal: undefined, admitted: 1049 })).toMatchObject({ status: 'fail' });
    const other = judge({ refusal: 'close:4100' });
    expect(other.status).toBe('fail');
    expect(other.detail).toMatch(/^refused as close:4100, expected close:1006/);
    expect(judge({ refusedByServer: { draining: 50 } })).toMatchObject({ status: 'fail' });
  });

  it('fails when an admitted connection no longer receives', () => {
    const r = judge({ working: 2 });
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/^admitted connections did not all work/);
  });

  it('a check that never ran is unknown', () => {
    const r = judgeSlo(slo, observeSync([{ type: 'run.phase', t: 10_000, phase: 'teardown' }]), []);
    expect(r).toMatchObject({ status: 'unknown', value: null });
  });
});
