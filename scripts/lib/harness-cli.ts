import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../harness/mutation/mutant-build.ts';

/** What the benchmark scripts share: the real CLI run as a child, Docker work behind an optional lock. */

export const CLI = join(PROJECT_ROOT, 'harness', 'cli', 'bin.js');

export const list = (s: string | undefined): string[] => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

export const subdirs = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

/** Runs a command, its stderr shown as it comes; resolves with stdout and the exit code. */
export function runCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout }));
  });
}

/** The CLI with `args`, through the shared lock when one is named (other work shares this machine's Docker). */
export function cliCommand(lock: string | undefined, args: string[]): [string, string[]] {
  return lock ? ['flock', [lock, process.execPath, CLI, ...args]] : [process.execPath, [CLI, ...args]];
}

/** The `runDir` of every JSON line `harness run --json` printed (one per variant that ran). */
export function runDirsOf(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { runDir: string }).runDir);
}
