import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// --compare-to and --fail-on-drift are checked before anything starts (with --dry-run nothing would).
// An empty run registry of its own: the CLI's recovery of dead runs has nothing to act on here.
const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin.js');

async function harness(args: string[]): Promise<{ code: number; out: string }> {
  const runs = await mkdtemp(path.join(tmpdir(), 'runs-'));
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { timeout: 60_000, env: { ...process.env, HARNESS_RUNS_DIR: runs } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  } finally {
    await rm(runs, { recursive: true, force: true });
  }
}

describe('harness run --compare-to', () => {
  it('refuses a baseline that is not there, naming the fix, before any plan is made', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'compare-'));
    try {
      const r = await harness(['run', 'oom-cascade', '--dry-run', '--compare-to', path.join(dir, 'nope')]);
      expect(r.code).toBe(2);
      expect(r.out).toContain(`harness: --compare-to ${path.join(dir, 'nope')}: no such file or directory: give a run directory, its summary.json, or a trend.ndjson`);
      expect(r.out).not.toContain('planned and checked');
      const empty = await harness(['run', 'oom-cascade', '--dry-run', '--compare-to', dir]);
      expect(empty.code).toBe(2);
      expect(empty.out).toContain('found no summary.json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--fail-on-drift needs a baseline; --drift-share is a share', async () => {
    const a = await harness(['run', 'oom-cascade', '--dry-run', '--fail-on-drift']);
    expect(a.code).toBe(2);
    expect(a.out).toContain('harness: --fail-on-drift needs --compare-to <run-dir|baseline.json> to compare with');
    const b = await harness(['run', 'oom-cascade', '--dry-run', '--compare-to', 'x', '--drift-share', '2']);
    expect(b.code).toBe(2);
    expect(b.out).toContain('harness: --drift-share 2: expected a share of the margin between 0 and 1');
  });

  it('a readable baseline passes the checks', async () => {
    const fixture = path.resolve(import.meta.dirname, '../../report/fixtures/real-runs/oom-cascade-remediated.summary.json');
    const r = await harness(['run', 'oom-cascade', '--dry-run', '--compare-to', fixture]);
    expect(r.out).toContain('nothing started (--dry-run)');
    expect(r.code).toBe(0);
  });
});
