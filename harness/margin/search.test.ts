import { describe, expect, it } from 'vitest';
import type { PointRun, RunResult } from './point-run.ts';
import { majorityOf, searchMargin, type SearchOptions } from './search.ts';

// The search on recorded outcomes: `script` says what each run at a factor returns, in order; a
// factor not scripted follows `truth` (met below the boundary for a variant that holds).

const RUN_MS = 60_000;

function recorded(opts: { truth: (f: number) => RunResult; script?: Record<number, RunResult[]>; runMs?: number }) {
  let clock = 0;
  const calls: number[] = [];
  const script = structuredClone(opts.script ?? {});
  const runPoint = async (factor: number): Promise<PointRun> => {
    calls.push(factor);
    clock += opts.runMs ?? RUN_MS;
    const result = script[factor]?.shift() ?? opts.truth(factor);
    return { factor, result, status: result === 'met' ? 'held' : result === 'unmet' ? 'broken' : 'inconclusive', runDir: `/runs/${calls.length}`, error: undefined, slos: [], wallMs: opts.runMs ?? RUN_MS };
  };
  return { runPoint, now: () => clock, calls };
}

const base = (r: ReturnType<typeof recorded>, over: Partial<SearchOptions> = {}): SearchOptions => ({
  range: { min: 1, max: 3 },
  resolution: 0.05,
  repeats: 1,
  metSide: 'low',
  budgetMs: 60 * RUN_MS,
  firstRunEstimateMs: RUN_MS,
  now: r.now,
  runPoint: r.runPoint,
  ...over,
});

describe('margin search: bisection', () => {
  it('finds the largest factor a holding variant still meets, to the resolution', async () => {
    const r = recorded({ truth: (f) => (f <= 1.83 ? 'met' : 'unmet') });
    const res = await searchMargin(base(r));
    expect(res.stop).toBe('resolved');
    expect(res.complete).toBe(true);
    expect(res.met).toBeLessThanOrEqual(1.83);
    expect(res.unmet).toBeGreaterThan(1.83);
    expect(res.unmet! - res.met!).toBeLessThanOrEqual(0.05);
    // Both ends first, then halving: 1, 3, 2, 1.5, 1.75, 1.875, 1.813, 1.844 (|1.844 - 1.813| <= 0.05).
    expect(r.calls).toEqual([1, 3, 2, 1.5, 1.75, 1.875, 1.813, 1.844]);
    expect(res.points.map((p) => p.verdict)).toEqual(['met', 'unmet', 'unmet', 'met', 'met', 'unmet', 'met', 'unmet']);
  });

  it('for an incident, finds the smallest factor at which it still reproduces (met on the high side)', async () => {
    const r = recorded({ truth: (f) => (f >= 0.62 ? 'met' : 'unmet') });
    const res = await searchMargin(base(r, { range: { min: 0.25, max: 1 }, metSide: 'high' }));
    expect(r.calls.slice(0, 2)).toEqual([1, 0.25]);
    expect(res.stop).toBe('resolved');
    expect(res.met).toBeGreaterThanOrEqual(0.62);
    expect(res.unmet).toBeLessThan(0.62);
    expect(res.met! - res.unmet!).toBeLessThanOrEqual(0.05);
  });

  it('reports a margin beyond the range, and none inside it, without bisecting', async () => {
    const all = recorded({ truth: () => 'met' });
    const beyond = await searchMargin(base(all));
    expect([beyond.stop, beyond.met, beyond.unmet, all.calls]).toEqual(['met-across-range', 3, null, [1, 3]]);
    const none = recorded({ truth: () => 'unmet' });
    const below = await searchMargin(base(none));
    expect([below.stop, below.met, below.unmet, none.calls]).toEqual(['unmet-across-range', null, 1, [1]]);
  });
});

describe('margin search: noise, unknown runs and the budget', () => {
  it('decides a point by the majority of its repeats and stops a point once the majority is reached', async () => {
    expect([1, 2, 3, 4, 5].map(majorityOf)).toEqual([1, 2, 2, 3, 3]);
    // At 2 the first run is red by noise; two of three are green, so 2 is green.
    const r = recorded({ truth: (f) => (f <= 2.2 ? 'met' : 'unmet'), script: { 2: ['unmet', 'met', 'met'] } });
    const res = await searchMargin(base(r, { repeats: 3, resolution: 0.5 }));
    const at2 = res.points.find((p) => p.factor === 2)!;
    expect(at2.runs.map((x) => x.result)).toEqual(['unmet', 'met', 'met']);
    expect(at2.verdict).toBe('met');
    // Agreeing points need only two runs of three.
    expect(res.points.find((p) => p.factor === 1)!.runs).toHaveLength(2);
    expect(res.met).toBe(2);
    expect(res.unmet).toBe(2.5);
  });

  it('re-runs a point whose run was unknown, which is neither red nor green', async () => {
    const r = recorded({ truth: (f) => (f <= 2 ? 'met' : 'unmet'), script: { 3: ['unknown'] } });
    const res = await searchMargin(base(r, { resolution: 1 }));
    const at3 = res.points.find((p) => p.factor === 3)!;
    expect(at3.runs.map((x) => x.result)).toEqual(['unknown', 'unmet']);
    expect(at3.verdict).toBe('unmet');
    expect(res.stop).toBe('resolved');
  });

  it('leaves a point undecided after 2 × repeats runs without a majority, and the interval open', async () => {
    const r = recorded({ truth: (f) => (f <= 2 ? 'met' : 'unmet'), script: { 2: ['unknown', 'unknown'] } });
    const res = await searchMargin(base(r, { resolution: 0.5 }));
    expect(res.stop).toBe('undecided');
    expect(res.complete).toBe(false);
    expect(res.points.at(-1)).toMatchObject({ factor: 2, verdict: 'undecided' });
    expect([res.met, res.unmet]).toEqual([1, 3]);
    // A tie of an even repeat count is no majority either: 1 met and 1 unmet of 2, then two unknown.
    const tie = recorded({ truth: () => 'met', script: { 1: ['met', 'unmet', 'unknown', 'unknown'] } });
    const tied = await searchMargin(base(tie, { repeats: 2 }));
    expect(tied.points[0]).toMatchObject({ factor: 1, verdict: 'undecided' });
    expect(tied.points[0]!.runs).toHaveLength(4);
  });

  it('starts no run that would not fit in the budget, and says the result is partial with the interval so far', async () => {
    const r = recorded({ truth: (f) => (f <= 1.83 ? 'met' : 'unmet') });
    const res = await searchMargin(base(r, { budgetMs: 4.5 * RUN_MS }));
    expect(r.calls).toEqual([1, 3, 2, 1.5]);
    expect(res.stop).toBe('budget');
    expect(res.complete).toBe(false);
    expect([res.met, res.unmet]).toEqual([1.5, 2]);
    expect(res.elapsedMs).toBeLessThanOrEqual(4.5 * RUN_MS);
  });

  it('uses the longest run seen so far to decide whether the next one fits', async () => {
    // Runs take 2 minutes though the plan guessed 1: after the first, only runs that fit in 2 minutes start.
    const r = recorded({ truth: (f) => (f <= 1.83 ? 'met' : 'unmet'), runMs: 2 * RUN_MS });
    const res = await searchMargin(base(r, { budgetMs: 5 * RUN_MS }));
    expect(r.calls).toEqual([1, 3]);
    expect(res.stop).toBe('budget');
  });

  it('stops at the first end when the budget holds no run at all', async () => {
    const r = recorded({ truth: () => 'met' });
    const res = await searchMargin(base(r, { budgetMs: RUN_MS / 2 }));
    expect(r.calls).toEqual([]);
    expect(res.points).toEqual([]);
    expect(res.stop).toBe('budget');
  });
});

describe('margin search: the incident converse (met on the high side)', () => {
  // An incident "meets" its expectation where it reproduces: at the full load and above, and down to
  // some smaller factor. The search starts at the top of the range and walks the boundary down.
  const incident = (r: ReturnType<typeof recorded>, over: Partial<SearchOptions> = {}) => base(r, { range: { min: 0.25, max: 1 }, metSide: 'high', ...over });

  it('bisects downwards: a reproducing midpoint moves the top of the interval down, a non-reproducing one the bottom up', async () => {
    const r = recorded({ truth: (f) => (f >= 0.62 ? 'met' : 'unmet') });
    const res = await searchMargin(incident(r));
    // 1 and 0.25 first, then halving: 0.625 (reproduces), 0.438, 0.532, 0.579 (none does); |0.625 - 0.579| <= 0.05.
    expect(r.calls).toEqual([1, 0.25, 0.625, 0.438, 0.532, 0.579]);
    expect(res.points.map((p) => p.verdict)).toEqual(['met', 'unmet', 'met', 'unmet', 'unmet', 'unmet']);
    expect([res.met, res.unmet, res.stop]).toEqual([0.625, 0.579, 'resolved']);
  });

  it('stops when the interval is one resolution step wide, whatever floating point makes of the difference', async () => {
    // 0.75 − 0.7 is 0.050000000000000044: still one step of 0.05, so no run at 0.725.
    const r = recorded({ truth: (f) => (f >= 0.72 ? 'met' : 'unmet') });
    const res = await searchMargin(incident(r, { range: { min: 0.6, max: 0.8 } }));
    expect(r.calls).toEqual([0.8, 0.6, 0.7, 0.75]);
    expect([res.met, res.unmet, res.stop]).toEqual([0.75, 0.7, 'resolved']);
  });

  it('reports an incident that reproduces down to the bottom of the range, and one that does not reproduce even at its top', async () => {
    const always = recorded({ truth: () => 'met' });
    const down = await searchMargin(incident(always));
    expect([down.stop, down.met, down.unmet, always.calls]).toEqual(['met-across-range', 0.25, null, [1, 0.25]]);
    const never = recorded({ truth: () => 'unmet' });
    const none = await searchMargin(incident(never));
    expect([none.stop, none.met, none.unmet, never.calls]).toEqual(['unmet-across-range', null, 1, [1]]);
  });

  it('decides an incident point by the majority of its repeats too', async () => {
    // At 0.625 one run of three does not reproduce (noise): two of three do, so it reproduces there.
    const r = recorded({ truth: (f) => (f >= 0.6 ? 'met' : 'unmet'), script: { 0.625: ['met', 'unmet', 'met'] } });
    const res = await searchMargin(incident(r, { repeats: 3, resolution: 0.2 }));
    const at = res.points.find((p) => p.factor === 0.625)!;
    expect(at.runs.map((x) => x.result)).toEqual(['met', 'unmet', 'met']);
    expect(at.verdict).toBe('met');
    expect([res.met, res.unmet, res.stop]).toEqual([0.625, 0.438, 'resolved']);
  });

  it('leaves the interval open from the top down when the budget runs out', async () => {
    const r = recorded({ truth: (f) => (f >= 0.62 ? 'met' : 'unmet') });
    const res = await searchMargin(incident(r, { budgetMs: 3.5 * RUN_MS }));
    expect(r.calls).toEqual([1, 0.25, 0.625]);
    expect([res.stop, res.complete, res.met, res.unmet]).toEqual(['budget', false, 0.625, 0.25]);
  });
});
