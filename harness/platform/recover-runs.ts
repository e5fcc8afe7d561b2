import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removeContainers } from './cleanup.ts';
import { engineName } from './docker.ts';
import { LABEL_OWNER } from './labels.ts';
import { OWNER_ENV, processStartTime } from './owner.ts';
import { ownerAlive, readEntries, type RunEntry } from './run-registry.ts';
import { markInterrupted } from './run-dir-marker.ts';

/** PIDs of host processes carrying `HARNESS_OWNER=<owner>` in their environment (k6 started by that run). */
export async function processesOwnedBy(owner: string): Promise<number[]> {
  const marker = `${OWNER_ENV}=${owner}`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = (await readFile(`/proc/${entry}/environ`, 'utf8')).split('\0');
      if (env.includes(marker)) pids.push(Number(entry));
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return pids;
}

function kill(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

export interface Recovered {
  owner: string;
  command: string;
  pid: number;
  startedAt: string;
  containers: string[];
  processes: number[];
  dirs: string[];
  /** Finished run directories without all their reports, marked interrupted. */
  marked: string[];
  /** Why something could not be removed (the entry is kept for the next try). */
  problems: string[];
}

/** Removes what one dead run left: its containers (by owner label), host processes and unfinished dirs. */
export async function recoverRun(entry: RunEntry): Promise<Recovered> {
  const out: Recovered = { owner: entry.owner, command: entry.command, pid: entry.pid, startedAt: entry.startedAt, containers: [], processes: [], dirs: [], marked: [], problems: [] };
  if (entry.engine !== engineName()) {
    out.problems.push(`it used the Docker engine ${entry.engine}, not ${engineName()}: run \`harness down\` with that engine (DOCKER_HOST=${entry.engine === 'default' ? '' : entry.engine})`);
  } else {
    try {
      out.containers = await removeContainers({ [LABEL_OWNER]: entry.owner });
    } catch (err) {
      out.problems.push(`containers: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const recorded = entry.hostProcesses.filter((p) => processStartTime(p.pid) === p.start).map((p) => p.pid);
  for (const pid of new Set([...recorded, ...(await processesOwnedBy(entry.owner))])) if (kill(pid)) out.processes.push(pid);
  for (const dir of entry.dirs) {
    if (!dir.endsWith('.partial')) continue;
    if (existsSync(dir)) {
      await rm(dir, { recursive: true, force: true });
      out.dirs.push(dir);
      continue;
    }
    // Renamed: the replay finished; the process died while judging or writing its reports.
    const finished = dir.slice(0, -'.partial'.length);
    if (await markInterrupted(finished, `the harness process (pid ${entry.pid}) died`)) out.marked.push(finished);
  }
  return out;
}

export function describeRecovered(r: Recovered): string {
  const what = [`${r.containers.length} container(s)`, `${r.processes.length} host process(es)`, `${r.dirs.length} unfinished run dir(s)`];
  const lines = [`harness: run of \`harness ${r.command}\` (pid ${r.pid}, started ${r.startedAt}) is gone; removed ${what.join(', ')}`];
  if (r.containers.length) lines.push(`  containers: ${r.containers.join(', ')}`);
  if (r.processes.length) lines.push(`  processes: ${r.processes.join(', ')}`);
  for (const d of r.dirs) lines.push(`  removed ${d}`);
  for (const d of r.marked) lines.push(`  marked ${d} interrupted (its reports were not all written: \`harness report ${d}\`)`);
  for (const p of r.problems) lines.push(`  could not finish: ${p}`);
  return lines.join('\n');
}

/**
 * Crash-only recovery, the first thing `run`, `capacity`, `report` and `down` do: every registered
 * run whose process is gone is cleaned up and its entry removed. Silent when there is nothing to do.
 */
export async function recoverDeadRuns(log: (line: string) => void): Promise<Recovered[]> {
  const done: Recovered[] = [];
  for (const { file, entry, problem } of readEntries()) {
    if (!entry) {
      log(`harness: unreadable run registry entry ${file} (${problem}); removed it`);
      await rm(file, { force: true });
      continue;
    }
    if (ownerAlive(entry)) continue;
    const r = await recoverRun(entry);
    log(describeRecovered(r));
    if (r.problems.length === 0) await rm(file, { force: true });
    done.push(r);
  }
  return done;
}

/** `<id>.partial` directories under an output root (`<out>/<scenario>/` and `<out>/capacity/`). */
export async function partialDirsUnder(outRoot: string): Promise<string[]> {
  const found: string[] = [];
  for (const group of await readdir(outRoot, { withFileTypes: true }).catch(() => [])) {
    if (!group.isDirectory()) continue;
    for (const run of await readdir(join(outRoot, group.name), { withFileTypes: true }).catch(() => [])) {
      if (run.isDirectory() && run.name.endsWith('.partial')) found.push(join(outRoot, group.name, run.name));
    }
  }
  return found;
}

/** Removes `.partial` directories no live registered run claims (left by runs that died unregistered). */
export async function removeStrayPartialDirs(outRoots: readonly string[]): Promise<string[]> {
  const claimed = new Set(readEntries().flatMap(({ entry }) => (entry && ownerAlive(entry) ? entry.dirs : [])));
  const removed: string[] = [];
  for (const root of new Set(outRoots)) {
    for (const dir of await partialDirsUnder(root)) {
      if (claimed.has(dir)) continue;
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  return removed;
}
