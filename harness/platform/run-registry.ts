import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { engineName } from './docker.ts';
import { ownerId, processStartTime } from './owner.ts';
import { cacheDir } from './paths.ts';

/**
 * Where every running command that starts things registers itself (one file per process), outside
 * any run directory so a crashed run's entry survives it. Written synchronously: a run dir or a k6 is
 * on record before it exists, so even a SIGKILL right after leaves nothing unaccounted for.
 */
export function registryDir(): string {
  return process.env.HARNESS_RUNS_DIR || join(cacheDir(), 'runs');
}

const entrySchema = z.object({
  owner: z.string(),
  pid: z.number().int(),
  pidStart: z.string(),
  command: z.string(),
  session: z.string().optional(),
  startedAt: z.string(),
  engine: z.string(),
  cwd: z.string(),
  /** Run directories while unfinished (`<id>.partial`). */
  dirs: z.array(z.string()),
  hostProcesses: z.array(z.object({ pid: z.number().int(), start: z.string(), name: z.string() })),
});
export type RunEntry = z.infer<typeof entrySchema>;

let current: { file: string; entry: RunEntry } | undefined;

function write(file: string, entry: RunEntry): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(entry, null, 2));
  renameSync(tmp, file);
}

/** Registers this process (idempotent); the entry is removed when the process exits normally. */
export function registerOwner(command: string): RunEntry {
  if (current) return current.entry;
  const dir = registryDir();
  mkdirSync(dir, { recursive: true });
  const owner = ownerId();
  const entry: RunEntry = {
    owner,
    pid: process.pid,
    pidStart: processStartTime(process.pid) ?? 'unknown',
    command,
    session: process.env.HARNESS_SESSION_ID || undefined,
    startedAt: new Date().toISOString(),
    engine: engineName(),
    cwd: process.cwd(),
    dirs: [],
    hostProcesses: [],
  };
  current = { file: join(dir, `${owner}.json`), entry };
  write(current.file, entry);
  // Any exit the process itself runs (normal end, process.exit after an interrupt's clean-up).
  process.once('exit', () => rmSync(current!.file, { force: true }));
  return entry;
}

/** Records an unfinished run directory before it is created. No-op outside a registered command. */
export function noteRunDir(dir: string): void {
  if (!current) return;
  current.entry.dirs.push(dir);
  write(current.file, current.entry);
}

/** Records a host process the harness started (k6). No-op outside a registered command. */
export function noteHostProcess(pid: number, name: string): void {
  if (!current) return;
  current.entry.hostProcesses.push({ pid, start: processStartTime(pid) ?? 'unknown', name });
  write(current.file, current.entry);
}

/** Every registered command, with the file it is registered in; unreadable entries are reported, not dropped. */
export function readEntries(): { file: string; entry?: RunEntry; problem?: string }[] {
  const dir = registryDir();
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.map((n) => {
    const file = join(dir, n);
    try {
      return { file, entry: entrySchema.parse(JSON.parse(readFileSync(file, 'utf8'))) };
    } catch (err) {
      return { file, problem: (err as Error).message.split('\n')[0] };
    }
  });
}

/** True while the process that registered the entry is still the same process (PID and start time). */
export function ownerAlive(entry: RunEntry): boolean {
  if (entry.owner === ownerId()) return true;
  const start = processStartTime(entry.pid);
  return start !== undefined && start === entry.pidStart;
}
