import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixtures/sample-run.ts';
import { writeRunIndex } from './run-index.ts';
import { appendTrend, parseTrend, readTrend, sparkline, trendEntries, trendSeries, TREND_FILE, type TrendEntry } from './trend.ts';

const entry = (runId: string, value: number | null, status: 'pass' | 'fail' | 'unknown' = 'pass'): TrendEntry => ({
  at: `2026-12-0${runId.at(-1)}T10:00:00Z`,
  runId,
  scenario: 'oom-cascade',
  variant: 'remediated',
  status: 'held',
  met: true,
  slos: [{ id: 'fallback-latency', value, status, threshold: 'p(99)<1500', unit: 'ms' }],
});

describe('trend', () => {
  it('a sparkline runs from 0 to the threshold: a creep from 30 ms to 900 ms under 1500 ms rises, a breach is a full bar', () => {
    expect(sparkline([30, 300, 600, 900], 1500)).toBe('▁▂▄▅');
    expect(sparkline([30, 1600], 1500)).toBe('▁█');
    expect(sparkline([null, 30], 1500)).toBe('·▁');
    expect(sparkline([null], 1500)).toBe('·');
    // A lower bound (rate>=0.99): the bars stay near the top and dip when the rate falls.
    expect(sparkline([1, 0.999, 0.9], 0.99)).toBe('██▇');
  });

  it('appends one line per variant of a run and reads them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trend-'));
    try {
      const report = await sampleReport();
      await appendTrend(dir, report);
      await appendTrend(dir, { ...report, runId: 'run-2' });
      const { entries, skipped } = await readTrend(dir);
      expect(skipped).toBe(0);
      expect(entries.map((e) => `${e.runId}/${e.variant}`)).toEqual(['run-1/incident', 'run-1/remediated', 'run-2/incident', 'run-2/remediated']);
      expect(entries[0]!.slos.find((s) => s.id === 'conn-success')).toEqual({ id: 'conn-success', value: 0.875, status: 'fail', threshold: 'rate>=0.99', unit: 'ratio' });
      const series = trendSeries(entries, (e) => e.variant === 'incident');
      expect(series.map((s) => s.slo)).toEqual(['conn-success', 'lost', 'detect']);
      expect(series[0]!.points.map((p) => p.runId)).toEqual(['run-1', 'run-2']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('skips lines that do not parse and counts them; a run written twice keeps its place', () => {
    const lines = [JSON.stringify(entry('r1', 30)), '{"cut', JSON.stringify({ nope: 1 }), JSON.stringify(entry('r2', 300)), JSON.stringify(entry('r1', 31))].join('\n');
    const { entries, skipped } = parseTrend(lines);
    expect(skipped).toBe(2);
    expect(entries.map((e) => [e.runId, e.slos[0]!.value])).toEqual([
      ['r1', 31],
      ['r2', 300],
    ]);
  });

  it('keeps the last 12 runs per SLO', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ ...entry(`r${i}`, i * 10), at: `t${String(i).padStart(2, '0')}` }));
    const [s] = trendSeries(many);
    expect(s!.points).toHaveLength(12);
    expect(s!.points[0]!.value).toBe(30);
  });

  it('index.md and index.html show each SLO with its sparkline, latest value and threshold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'index-'));
    try {
      const entries = [entry('r1', 30), entry('r2', 300), entry('r3', 900)];
      await writeFile(join(dir, TREND_FILE), entries.map((e) => JSON.stringify(e)).join('\n'));
      const series = trendSeries((await readTrend(dir)).entries);
      const rows = [{ scenario: 'oom-cascade', variant: 'remediated', status: 'held', met: true, runDir: join(dir, 'oom-cascade', 'r3'), error: undefined }];
      const md = await readFile(await writeRunIndex(dir, rows, '2026-12-03T08:00:00Z', { series, combined: new Map([['oom-cascade', join(dir, 'oom-cascade', 'combined-report.html')]]) }), 'utf8');
      expect(md).toContain('| oom-cascade / remediated | fallback-latency | `p(99)<1500` | ▁▂▅ | 30, 300, 900 |');
      expect(md).toContain('Variants side by side: [oom-cascade](oom-cascade/combined-report.html)');
      const html = await readFile(join(dir, 'index.html'), 'utf8');
      expect(html).toContain('data-trend="oom-cascade/remediated/fallback-latency"');
      expect(html).toMatch(/<svg class="sparkline"[^>]*aria-label="fallback-latency: 30, 300, 900 against p\(99\)&lt;1500"/);
      expect(html).toContain('<a href="oom-cascade/combined-report.html">');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an entry per variant carries every SLO of the summary, whatever its kind', async () => {
    const r = await sampleReport();
    r.variants[1]!.slos.push({ ...r.variants[1]!.slos[0]!, id: 'churn-x', kind: 'churn', threshold: 'value<=3', value: 2, unit: 'value' });
    const e = trendEntries(r);
    expect(e[1]!.slos.map((s) => s.id)).toContain('churn-x');
  });
});
