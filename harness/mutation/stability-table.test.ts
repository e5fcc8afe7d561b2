import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatStabilityTable, marginFromIdeal, pendingReplays, stabilityRows, stabilityRunsOf, stabilitySummarySchema, type StabilitySummary } from './stability-table.ts';

// The summary.json of a real oom-cascade remediated run, edited the way another run's would differ.
const REAL = join(import.meta.dirname, '..', 'report', 'fixtures', 'real-runs', 'oom-cascade-remediated.summary.json');
const real = (): StabilitySummary => stabilitySummarySchema.parse(JSON.parse(readFileSync(REAL, 'utf8')));

function withVerdict(s: StabilitySummary, status: string, met: boolean, reasons: string[], durationS?: number): StabilitySummary {
  return { ...s, variants: s.variants.map((v) => ({ ...v, verdict: { status, met, reasons }, durationS: durationS ?? v.durationS })) };
}

describe('the false-alarm (stability) table', () => {
  it('reads a real held run as met, with its status and replay time', () => {
    const runs = stabilityRunsOf(real(), 3);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ scenario: 'oom-cascade', variant: 'remediated', round: 3, status: 'held', met: true });
    expect(runs[0]!.seconds).toBeGreaterThan(0);
  });

  it('never counts a run that did not finish as met, even if its verdict said so', () => {
    const s = { ...real(), unfinished: 'history ends at t=40s of 70s' };
    expect(stabilityRunsOf(s, 1)[0]).toMatchObject({ met: false, status: 'inconclusive', reasons: ['the run did not finish: history ends at t=40s of 70s'] });
  });

  it('counts each run that missed its expectation as a false alarm, with its round, verdict and reasons', () => {
    const runs = [
      ...stabilityRunsOf(withVerdict(real(), 'held', true, ['every SLO held'], 60), 1),
      ...stabilityRunsOf(withVerdict(real(), 'inconclusive', false, ['drops: unknown (probe silent 12 s)'], 80), 2),
      ...stabilityRunsOf(withVerdict(real(), 'held', true, [], 70), 3),
    ];
    const [row] = stabilityRows(runs);
    expect(row).toMatchObject({ scenario: 'oom-cascade', variant: 'remediated', runs: 3, met: 2, statuses: { held: 2, inconclusive: 1 }, medianSeconds: 70 });
    expect(row!.falseAlarms).toEqual(['round 2: inconclusive (drops: unknown (probe silent 12 s))']);
  });

  it('keeps one row per scenario and variant, and a median of an even count is the mean of the middle two', () => {
    const incident = (round: number, d: number) => stabilityRunsOf({ ...withVerdict(real(), 'reproduced', true, [], d), variants: real().variants.map((v) => ({ ...v, variant: 'incident', verdict: { status: 'reproduced', met: true, reasons: [] }, durationS: d })) }, round);
    const rows = stabilityRows([...incident(1, 50), ...stabilityRunsOf(real(), 1), ...incident(2, 90)]);
    expect(rows.map((r) => `${r.scenario}/${r.variant}`)).toEqual(['oom-cascade/incident', 'oom-cascade/remediated']);
    expect(rows[0]).toMatchObject({ runs: 2, met: 2, medianSeconds: 70 });
  });

  it('prints short series and replays without a verdict as such, and totals the false alarms', () => {
    const runs = [...stabilityRunsOf(real(), 1), ...stabilityRunsOf(withVerdict(real(), 'broken', false, ['drops: fail']), 2)];
    const table = formatStabilityTable(stabilityRows(runs), [{ scenario: 'oom-cascade', round: 3, error: 'harness run exited 2 with 0 verdict(s)' }], 10);
    expect(table).toContain('| oom-cascade / remediated | 2 of 10 | 1 | held 1, broken 1 | round 2: broken (drops: fail) |');
    expect(table).toContain('false alarms: 1 in 2 runs of 1 variants (1 variant(s) with fewer than 10 runs); 1 replay(s) gave no verdict: round 3 oom-cascade: harness run exited 2 with 0 verdict(s)');
  });

  it('refuses to print a table of nothing, says so when no replay gave a verdict, and refuses a summary without variants', () => {
    expect(() => formatStabilityTable([], [], 10)).toThrow(/no runs/);
    expect(formatStabilityTable([], [{ scenario: 'x', round: 1, error: 'harness run exited 2 with 0 verdict(s)' }], 10)).toBe('no replay gave a verdict: round 1 x: harness run exited 2 with 0 verdict(s)');
    expect(() => stabilitySummarySchema.parse({ scenario: { id: 'x' }, variants: [] })).toThrow();
  });

  it('resumes a series where it stopped: every replay not yet finished, round after round', () => {
    expect(pendingReplays(2, ['a', 'b'], [])).toEqual([
      { round: 1, scenario: 'a' },
      { round: 1, scenario: 'b' },
      { round: 2, scenario: 'a' },
      { round: 2, scenario: 'b' },
    ]);
    expect(pendingReplays(2, ['a', 'b'], [{ round: 1, scenario: 'a' }, { round: 1, scenario: 'b' }, { round: 2, scenario: 'b' }])).toEqual([{ round: 2, scenario: 'a' }]);
    expect(pendingReplays(1, ['a'], [{ round: 1, scenario: 'a' }])).toEqual([]);
  });

  it('measures the margin a passing SLO used from its ideal value, and none where there is no room', () => {
    expect(marginFromIdeal('p(99)<1000', 250)).toBeCloseTo(0.25);
    expect(marginFromIdeal('value<=5', -1.2)).toBeCloseTo(-0.24);
    expect(marginFromIdeal('rate>=0.95', 0.99)).toBeCloseTo(0.2);
    expect(marginFromIdeal('rate>=0.9', 1)).toBeCloseTo(0);
    expect(marginFromIdeal('count==0', 0)).toBeNull();
    expect(marginFromIdeal('value<=0', 0)).toBeNull();
    expect(marginFromIdeal('count>0', 12)).toBeNull();
    expect(marginFromIdeal('not a threshold', 1)).toBeNull();
  });

  it('names, for a variant that must hold, the passing SLO nearest its threshold over all runs', () => {
    const s = real();
    const drops = s.variants[0]!.slos.find((x) => x.id === 'drops');
    expect(drops?.threshold).toBe('rate<=0.01');
    const limit = 0.01;
    const moved = (v: number): StabilitySummary => ({ ...s, variants: s.variants.map((x) => ({ ...x, slos: x.slos.map((y) => (y.id === drops!.id ? { ...y, value: v } : y)) })) });
    const runs = [...stabilityRunsOf(moved(limit * 0.9), 1), ...stabilityRunsOf(moved(limit * 0.95), 2), ...stabilityRunsOf(moved(0), 3)];
    expect(runs[0]!.closest).toMatchObject({ slo: drops!.id, used: expect.closeTo(0.9, 6) });
    const [row] = stabilityRows(runs);
    expect(row!.closest).toMatchObject({ slo: drops!.id, round: 2, used: expect.closeTo(0.95, 6) });
    expect(formatStabilityTable([row!], [], 3)).toContain(`${drops!.id}: 0.0095 against ${drops!.threshold}, 95% of its margin (round 2)`);
  });

  it('names, for an incident, the expected breach nearest to passing over all runs', () => {
    const s = real();
    const incident = (drops: number, edge503: number): StabilitySummary => ({
      ...s,
      variants: s.variants.map((x) => ({
        ...x,
        variant: 'incident',
        expectation: { breach: ['drops', 'edge-503'] },
        verdict: { status: 'reproduced', met: true, reasons: [] },
        slos: x.slos.map((y) => (y.id === 'drops' ? { ...y, status: 'fail' as const, value: drops } : y.id === 'edge-503' ? { ...y, status: 'fail' as const, value: edge503 } : y)),
      })),
    });
    // rate<=0.01: 0.3 is 30 times its margin, 0.02 twice it.
    const runs = [...stabilityRunsOf(incident(0.3, 0.5), 1), ...stabilityRunsOf(incident(0.3, 0.02), 2)];
    expect(runs[0]!.closest).toMatchObject({ slo: 'drops', used: expect.closeTo(30, 6) });
    const [row] = stabilityRows(runs);
    expect(row!.closest).toMatchObject({ slo: 'edge-503', round: 2, used: expect.closeTo(2, 6) });
    // A breach the incident does not expect is not the one that could rot it.
    const unexpected = { ...incident(0.3, 0.5), variants: incident(0.3, 0.5).variants.map((x) => ({ ...x, expectation: { breach: ['drops'] } })) };
    expect(stabilityRunsOf(unexpected, 1)[0]!.closest).toMatchObject({ slo: 'drops' });
  });
});
