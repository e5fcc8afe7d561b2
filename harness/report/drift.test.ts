import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BaselineError, findDrift, formatDrift, loadBaseline, marginUsed, parseDriftShare } from './drift.ts';
import { realSummaries } from './fixtures/read-back.ts';
import { trendEntries, type TrendEntry } from './trend.ts';

const entry = (runId: string, slos: [string, number | null, 'pass' | 'fail' | 'unknown', string][]): TrendEntry => ({
  at: '2026-12-03T08:00:00Z',
  runId,
  scenario: 'oom-cascade',
  variant: 'remediated',
  status: 'held',
  met: true,
  slos: slos.map(([id, value, status, threshold]) => ({ id, value, status, threshold, unit: 'ms' })),
});

describe('drift towards a threshold', () => {
  it('measures the share of the margin used, for upper and lower bounds', () => {
    expect(marginUsed('p(99)<1500', 30, 900)).toBeCloseTo(870 / 1470);
    expect(marginUsed('p(99)<1500', 900, 30)).toBeLessThan(0);
    expect(marginUsed('rate>=0.99', 1, 0.995)).toBeCloseTo(0.5);
    expect(marginUsed('p(99)<1500', 30, 1600)).toBeGreaterThan(1);
    // No margin to use: at the threshold, an equality, or a threshold of a kind that does not parse.
    expect(marginUsed('count==0', 0, 3)).toBeNull();
    expect(marginUsed('p(99)<1500', 1500, 1600)).toBeNull();
    expect(marginUsed('churn within 3 of plan', 1, 2)).toBeNull();
  });

  it('flags an SLO that used more than the stated share, and only that one', () => {
    const base = new Map([['oom-cascade/remediated', entry('base', [['fallback-latency', 30, 'pass', 'p(99)<1500'], ['conn-success', 1, 'pass', 'rate>=0.99'], ['lost', 0, 'pass', 'count==0'], ['detect', null, 'unknown', 'value<=10']])]]);
    const now = [entry('now', [['fallback-latency', 900, 'pass', 'p(99)<1500'], ['conn-success', 0.999, 'pass', 'rate>=0.99'], ['lost', 0, 'pass', 'count==0'], ['detect', 3, 'pass', 'value<=10']])];
    const drift = findDrift(base, now, 0.25);
    expect(drift.map((d) => d.slo)).toEqual(['fallback-latency']);
    expect(formatDrift(drift[0]!)).toBe('oom-cascade/remediated fallback-latency: 30 → 900 against p(99)<1500, 59% of its margin used since the baseline');
    expect(findDrift(base, now, 0.6)).toEqual([]);
    expect(findDrift(base, now, 0.05).map((d) => d.slo)).toEqual(['fallback-latency', 'conn-success']);
  });

  it('reads a baseline from a run directory, an output folder, a summary.json or a trend.ndjson', async () => {
    const runs = realSummaries();
    expect(runs.length).toBeGreaterThan(2);
    const dir = await mkdtemp(join(tmpdir(), 'baseline-'));
    try {
      for (const r of runs) {
        const runDir = join(dir, r.summary.scenario.id, r.summary.runId);
        await mkdir(runDir, { recursive: true });
        await writeFile(join(runDir, 'summary.json'), JSON.stringify(r.summary));
      }
      const all = loadBaseline(dir);
      expect(all.size).toBe(runs.length);
      const first = runs[0]!.summary;
      const one = loadBaseline(join(dir, first.scenario.id, first.runId));
      expect([...one.keys()]).toEqual([`${first.scenario.id}/${first.variants[0]!.variant}`]);
      expect(loadBaseline(join(dir, first.scenario.id, first.runId, 'summary.json')).size).toBe(1);
      await writeFile(join(dir, 'trend.ndjson'), trendEntries(first).map((e) => JSON.stringify(e)).join('\n'));
      expect([...loadBaseline(join(dir, 'trend.ndjson')).keys()]).toEqual([...one.keys()]);
      // The same run compared with itself never drifts.
      expect(findDrift(all, runs.flatMap((r) => trendEntries(r.summary)), 0.01)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a baseline it cannot read, naming the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baseline-'));
    try {
      expect(() => loadBaseline(join(dir, 'nope'))).toThrow(/no such file or directory: give a run directory, its summary.json, or a trend.ndjson/);
      expect(() => loadBaseline(dir)).toThrow(/found no summary.json/);
      await writeFile(join(dir, 'x.json'), '{"a":1}');
      expect(() => loadBaseline(join(dir, 'x.json'))).toThrow(BaselineError);
      expect(() => loadBaseline(join(dir, 'x.json'))).toThrow(/not a summary.json of this harness/);
      expect(() => parseDriftShare('1.5')).toThrow(/between 0 and 1/);
      expect(parseDriftShare('0.1')).toBe(0.1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
