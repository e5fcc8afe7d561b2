import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aboutSchema, collectSeries, roundDirName } from './stability-series.ts';
import { formatStabilityTable, stabilityRows } from './stability-table.ts';

// A series folder as bench:stability leaves it, built from a real run's summary.json: finished
// rounds, a replay cut short, one kept aside on resume, and a replay that gave no verdict.
const REAL = join(import.meta.dirname, '..', 'report', 'fixtures', 'real-runs', 'oom-cascade-remediated.summary.json');

function series(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stability-series-'));
  const put = (path: string, summary: unknown) => {
    mkdirSync(join(dir, path), { recursive: true });
    writeFileSync(join(dir, path, 'summary.json'), JSON.stringify(summary));
  };
  const real = JSON.parse(readFileSync(REAL, 'utf8')) as { unfinished?: string | null };
  put(`${roundDirName(1)}/oom-cascade/run-a`, real);
  put(`${roundDirName(2)}/oom-cascade/run-b`, { ...real, unfinished: 'history incomplete (ends at t=40.0s of 70s)' });
  // Cut short before any summary: nothing to count.
  mkdirSync(join(dir, roundDirName(3), 'oom-cascade', 'run-c.partial'), { recursive: true });
  // Kept aside when the series resumed: never counted.
  cpSync(join(dir, roundDirName(1)), join(dir, 'interrupted', 'round-03-oom-cascade-x'), { recursive: true });
  writeFileSync(join(dir, 'errors.ndjson'), `${JSON.stringify({ scenario: 'oom-cascade', round: 4, error: 'harness run exited 2 with 0 verdict(s)' })}\n`);
  return dir;
}

describe('a false-alarm series on disk', () => {
  it('counts each finished run under its round, an unfinished one as missed, and nothing kept aside or cut short', () => {
    const { runs, errors } = collectSeries(series());
    expect(runs.map((r) => [r.round, r.variant, r.met])).toEqual([
      [1, 'remediated', true],
      [2, 'remediated', false],
    ]);
    expect(errors).toEqual([{ scenario: 'oom-cascade', round: 4, error: 'harness run exited 2 with 0 verdict(s)' }]);
    const table = formatStabilityTable(stabilityRows(runs), errors, 10);
    expect(table).toContain('| oom-cascade / remediated | 2 of 10 | 1 | held 1, inconclusive 1 | round 2: inconclusive (the run did not finish: history incomplete (ends at t=40.0s of 70s)) |');
    expect(table).toContain('false alarms: 1 in 2 runs of 1 variants');
  });

  it('names rounds so that they sort, and reads an about.json written before resumes were recorded', () => {
    expect(roundDirName(3)).toBe('round-03');
    expect(roundDirName(10) > roundDirName(9)).toBe(true);
    const about = aboutSchema.parse({ commit: 'abc', startedAt: '2026-12-03T17:49:10Z', runs: 10, scenarios: ['oom-cascade'], variants: 'all' });
    expect(about.resumed).toEqual([]);
    expect(() => aboutSchema.parse({ ...about, runs: 0 })).toThrow();
  });
});
