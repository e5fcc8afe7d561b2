import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRunTable, writeRunIndex, type RunIndexRow } from './run-index.ts';

const rows: RunIndexRow[] = [
  { scenario: 'oom-cascade', variant: 'incident', status: 'reproduced', met: true, runDir: '/out/oom-cascade/r1', error: undefined },
  { scenario: 'oom-cascade', variant: 'remediated', status: 'broken', met: false, runDir: '/out/oom-cascade/r2', error: undefined },
  { scenario: 'keepalive-desync', variant: 'masked', status: 'error', met: false, runDir: undefined, error: 'pod new-1 | did not start' },
];

describe('run index', () => {
  it('prints one aligned line per variant and the count that met', () => {
    const t = formatRunTable(rows).split('\n');
    expect(t[0]).toBe('✔  oom-cascade/incident     reproduced');
    expect(t[2]).toBe('✘  keepalive-desync/masked  error       pod new-1 | did not start');
    expect(t[3]).toBe('1 of 3 variant(s) met their expectation');
  });

  it('writes index.md with links relative to the output root and escapes table pipes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'run-index-'));
    try {
      const file = await writeRunIndex(dir, rows.map((r) => ({ ...r, runDir: r.runDir && join(dir, r.runDir.slice(5)) })), '2026-11-21T10:00:00Z');
      const md = await readFile(file, 'utf8');
      expect(md).toContain('| ✔ | oom-cascade / incident | reproduced | [summary](oom-cascade/r1/summary.md) · [report](oom-cascade/r1/report.html) |');
      expect(md).toContain('| ✘ | keepalive-desync / masked | error: pod new-1 \\| did not start | – |');
      expect(md).toContain('1 of 3 variant(s) met their expectation.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never lists an unfinished run as finished: a history without run.ended, or a .partial directory', async () => {
    const unfinished: RunIndexRow[] = [
      { scenario: 'oom-cascade', variant: 'remediated', status: 'held', met: true, runDir: '/out/oom-cascade/r3', error: undefined, unfinished: 'history incomplete (ends at t=40.0s of 70s)' },
      { scenario: 'oom-cascade', variant: 'incident', status: 'reproduced', met: true, runDir: '/out/oom-cascade/r4.partial', error: undefined },
    ];
    const t = formatRunTable(unfinished).split('\n');
    expect(t[0]).toBe('✘  oom-cascade/remediated  held, did not finish: history incomplete (ends at t=40.0s of 70s)');
    expect(t[1]).toBe('✘  oom-cascade/incident    reproduced, did not finish: the run directory is still .partial');
    expect(t[2]).toBe('0 of 2 variant(s) met their expectation');
    const dir = await mkdtemp(join(tmpdir(), 'index-'));
    const md = await readFile(await writeRunIndex(dir, unfinished, '2026-12-02T14:00:00Z'), 'utf8');
    expect(md).toContain('| ✘ | oom-cascade / remediated | held, did not finish: history incomplete (ends at t=40.0s of 70s) |');
    expect(md).toContain('0 of 2 variant(s) met their expectation.');
    await rm(dir, { recursive: true, force: true });
  });
});
