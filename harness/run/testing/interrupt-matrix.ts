/**
 * The interrupt matrix (integration tests and `npm run bench:interrupts`): the real CLI replays the
 * tiny-interrupt fixture, is signalled in a known phase (HARNESS_PAUSE_AT, a test-only hook), and
 * what it left is counted: containers of its session, host processes carrying its session, `.partial`
 * directories, finished run directories without reports that are not marked interrupted, and
 * run-registry entries. After SIGKILL the count is taken after the next command, which must recover.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { removeContainers } from '../../platform/cleanup.ts';
import { docker } from '../../platform/docker.ts';
import { EXIT } from '../../platform/exit-codes.ts';
import { LABEL_SESSION } from '../../platform/labels.ts';
import { partialDirsUnder } from '../../platform/recover-runs.ts';
import type { HookPhase } from '../../platform/phase-hook.ts';
import { INTERRUPTED_FILE } from '../../platform/run-dir-marker.ts';

const BIN = resolve(import.meta.dirname, '../../cli/bin.js');
export const FIXTURE = resolve(import.meta.dirname, '../fixtures/tiny-interrupt.ts');

export const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL'] as const;
export const PHASES = ['setup', 'replay', 'judge'] as const;
export type MatrixSignal = (typeof SIGNALS)[number];
export type MatrixPhase = (typeof PHASES)[number];

/** Exit code the CLI must give for a signal it can handle. */
export const EXPECTED_CODE: Record<Exclude<MatrixSignal, 'SIGKILL'>, number> = { SIGINT: EXIT.SIGINT, SIGTERM: EXIT.SIGTERM };

/** The command that runs next after a SIGKILL, one per phase so each recovering command is covered. */
function nextCommand(phase: MatrixPhase, out: string, session: string): string[] {
  if (phase === 'setup') return ['run', 'no-such-scenario', '--out', out];
  if (phase === 'replay') return ['report', join(out, 'no-such-run')];
  return ['down', '--session', session, '--out', out];
}

export interface Leftovers {
  containers: string[];
  processes: number[];
  partialDirs: string[];
  unmarkedRunDirs: string[];
  registryEntries: string[];
}

export function leftoverCount(l: Leftovers): number {
  return l.containers.length + l.processes.length + l.partialDirs.length + l.unmarkedRunDirs.length + l.registryEntries.length;
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CaseResult {
  signal: MatrixSignal;
  phase: MatrixPhase;
  run: Exited;
  /** What had been started when the signal was sent (proves the interrupt had something to clean up). */
  atSignal: Leftovers;
  /** SIGKILL only: what was there right after the kill (proves there was something to recover). */
  afterKill?: Leftovers;
  next?: Exited & { args: string[] };
  leftovers: Leftovers;
  /** Finished run directories marked interrupted (judge phase). */
  markedRunDirs: string[];
}

interface Spawned {
  exited: Promise<Exited>;
  /** Resolves when stderr has a line containing `text`; rejects if the process exits first. */
  waitFor(text: string, timeoutMs: number): Promise<void>;
  kill(signal: MatrixSignal): void;
  pid: number;
}

function harness(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const l of listeners) l();
  });
  const exited = new Promise<Exited>((done) => child.once('close', (code, signal) => done({ code, signal, stdout, stderr })));
  return {
    exited,
    waitFor: (text, timeoutMs) =>
      new Promise<void>((ok, fail) => {
        const check = () => {
          if (!stderr.includes(text)) return;
          cleanup();
          ok();
        };
        const timer = setTimeout(() => {
          cleanup();
          fail(new Error(`no "${text}" from harness ${args.join(' ')} within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then((e) => {
          if (!listeners.has(check)) return;
          cleanup();
          fail(new Error(`harness ${args.join(' ')} exited (${e.code ?? e.signal}) before "${text}":\n${e.stdout}\n${e.stderr}`));
        });
        check();
      }),
    kill: (signal) => child.kill(signal),
    pid: child.pid ?? -1,
  };
}

/** Host processes whose environment carries this session (the CLI's children: k6, anything else). */
export async function sessionProcesses(session: string, except = -1): Promise<number[]> {
  const marker = `HARNESS_SESSION_ID=${session}`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid || Number(entry) === except) continue;
    const env = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (env.split('\0').includes(marker)) pids.push(Number(entry));
  }
  return pids;
}

async function finishedRunDirs(out: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const group of await readdir(out).catch(() => [] as string[])) {
    for (const run of await readdir(join(out, group)).catch(() => [] as string[])) if (!run.endsWith('.partial')) dirs.push(join(out, group, run));
  }
  return dirs;
}

async function leftovers(session: string, out: string, runsDir: string, except?: number): Promise<{ leftovers: Leftovers; marked: string[] }> {
  const api = await docker();
  const containers = await api.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_SESSION}=${session}`] }) });
  const finished = await finishedRunDirs(out);
  const complete = (d: string) => existsSync(join(d, 'summary.json')) && existsSync(join(d, 'report.html'));
  const marked = finished.filter((d) => existsSync(join(d, INTERRUPTED_FILE)));
  return {
    leftovers: {
      containers: containers.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, '')),
      processes: await sessionProcesses(session, except),
      partialDirs: await partialDirsUnder(out),
      unmarkedRunDirs: finished.filter((d) => !complete(d) && !marked.includes(d)),
      registryEntries: (await readdir(runsDir).catch(() => [] as string[])).map((f) => join(runsDir, f)),
    },
    marked,
  };
}

/** A session of its own, an empty --out and run registry, and afterwards everything it started removed. */
async function isolated<T>(name: string, body: (ctx: { session: string; out: string; runsDir: string; env: NodeJS.ProcessEnv }) => Promise<T>): Promise<T> {
  const session = `${name}-${randomUUID().slice(0, 8)}`;
  const out = await mkdtemp(join(tmpdir(), 'harness-interrupt-out-'));
  const runsDir = await mkdtemp(join(tmpdir(), 'harness-interrupt-runs-'));
  const env = { ...process.env, HARNESS_SESSION_ID: session, HARNESS_RUNS_DIR: runsDir };
  try {
    return await body({ session, out, runsDir, env });
  } finally {
    // Not part of what is measured: only so one failed case does not leak into the next.
    await removeContainers({ [LABEL_SESSION]: session }).catch(() => undefined);
    for (const pid of await sessionProcesses(session)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await rm(out, { recursive: true, force: true });
    await rm(runsDir, { recursive: true, force: true });
  }
}


export interface FailureResult {
  run: Exited;
  leftovers: Leftovers;
  markedRunDirs: string[];
}

/** The CLI with an exception injected in one phase (HARNESS_FAIL_AT, test-only): its exit and what it left. */
export function runFailureCase(phase: HookPhase): Promise<FailureResult> {
  return isolated(`failure-${phase}`, async ({ session, out, runsDir, env }) => {
    const run = await harness(['run', FIXTURE, '--variant', 'incident', '--out', out], { ...env, HARNESS_FAIL_AT: phase }).exited;
    const after = await leftovers(session, out, runsDir);
    return { run, leftovers: after.leftovers, markedRunDirs: after.marked };
  });
}

/** One cell of the matrix; whatever happens, what the case started is removed afterwards. */
export function runInterruptCase(signal: MatrixSignal, phase: MatrixPhase, opts: { twice?: boolean } = {}): Promise<CaseResult> {
  return isolated(`interrupt-${phase}-${signal.toLowerCase()}`, async ({ session, out, runsDir, env }) => {
    const run = harness(['run', FIXTURE, '--variant', 'incident', '--out', out], { ...env, HARNESS_PAUSE_AT: phase });
    await run.waitFor(`paused at ${phase}`, 120_000);
    // The CLI itself carries the session too: counted apart from what it started.
    const atSignal = (await leftovers(session, out, runsDir, run.pid)).leftovers;
    run.kill(signal);
    if (opts.twice) {
      await run.waitFor(`interrupted (${signal})`, 10_000);
      run.kill(signal);
    }
    const exited = await run.exited;
    if (signal !== 'SIGKILL') {
      const after = await leftovers(session, out, runsDir);
      return { signal, phase, run: exited, atSignal, leftovers: after.leftovers, markedRunDirs: after.marked };
    }
    const afterKill = (await leftovers(session, out, runsDir)).leftovers;
    const args = nextCommand(phase, out, session);
    const next = { args, ...(await harness(args, env).exited) };
    const after = await leftovers(session, out, runsDir);
    return { signal, phase, run: exited, atSignal, afterKill, next, leftovers: after.leftovers, markedRunDirs: after.marked };
  });
}
