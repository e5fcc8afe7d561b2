import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerId, processStartTime } from './owner.ts';
import { recoverDeadRuns, removeStrayPartialDirs } from './recover-runs.ts';
import { noteRunDir, ownerAlive, readEntries, registerOwner, type RunEntry } from './run-registry.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-test-'));
  process.env.HARNESS_RUNS_DIR = join(dir, 'runs');
});
afterAll(async () => {
  delete process.env.HARNESS_RUNS_DIR;
  await rm(dir, { recursive: true, force: true });
});

/** An entry of a process that cannot be alive: a PID above the kernel's maximum. */
function deadEntry(over: Partial<RunEntry> = {}): RunEntry {
  return { owner: '4194400-1', pid: 4194400, pidStart: '1', command: 'run', startedAt: '2026-01-01T00:00:00Z', engine: 'default', cwd: dir, dirs: [], hostProcesses: [], ...over };
}

describe('the run registry', () => {
  it('names this process by PID and start time, and a process that is gone as dead', () => {
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(ownerId()).toBe(`${process.pid}-${processStartTime(process.pid)}`);
    expect(processStartTime(4194400)).toBeUndefined();
    expect(ownerAlive(deadEntry())).toBe(false);
    // Same PID, another start time: a reused PID is not the owner.
    expect(ownerAlive(deadEntry({ owner: 'x', pid: process.pid, pidStart: '0' }))).toBe(false);
  });

  it('records this command and its run directories before they exist, on disk at once', () => {
    const entry = registerOwner('run');
    const partial = join(dir, 'out', 'tiny', 'tiny-1.partial');
    noteRunDir(partial);
    const [read] = readEntries();
    expect(read?.entry).toMatchObject({ owner: ownerId(), pid: process.pid, command: 'run', dirs: [partial] });
    expect(ownerAlive(entry)).toBe(true);
  });

  it('recovery removes a dead run\'s unfinished directory and its entry, and leaves live ones alone', async () => {
    const partial = join(dir, 'out', 'tiny', 'tiny-2.partial');
    await mkdir(partial, { recursive: true });
    await mkdir(join(dir, 'runs'), { recursive: true });
    await writeFile(join(dir, 'runs', 'dead.json'), JSON.stringify(deadEntry({ dirs: [partial] })));
    const lines: string[] = [];
    // No container can carry the dead owner's label, so only the directory and the entry go.
    const done = await recoverDeadRuns((l) => lines.push(l));
    expect(done.map((r) => r.dirs)).toEqual([[partial]]);
    expect(existsSync(partial)).toBe(false);
    expect(await readdir(join(dir, 'runs'))).not.toContain('dead.json');
    expect(lines.join('\n')).toMatch(/run of `harness run` \(pid 4194400, .*\) is gone; removed 0 container\(s\), 0 host process\(es\), 1 unfinished run dir/);
  });

  it('`down` removes stray .partial directories nobody alive claims, not a live run\'s', async () => {
    const out = join(dir, 'out');
    const stray = join(out, 'tiny', 'tiny-3.partial');
    const live = join(out, 'capacity', 'capacity-4.partial');
    const finished = join(out, 'tiny', 'tiny-5');
    for (const d of [stray, live, finished]) await mkdir(d, { recursive: true });
    registerOwner('run');
    noteRunDir(live);
    expect(await removeStrayPartialDirs([out])).toEqual([stray]);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(finished)).toBe(true);
  });
});
