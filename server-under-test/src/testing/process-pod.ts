/** Test/bench helper: the bundled server as a child process (as the harness runs it). */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ProcessPod {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the "ready" log line, rejects if the process exits first. */
  ready: Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Runs `node <file>` with exactly `env` (no inherited variables, like a FROM-scratch image). */
export function spawnPod(file: string, env: Record<string, string>, cwd: string, nodeArgs: string[] = []): ProcessPod {
  const child = spawn(process.execPath, [...nodeArgs, file], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (line.includes('"msg":"ready"')) resolve(JSON.parse(line) as Record<string, unknown>);
      }
    });
    child.stderr!.on('data', (d: Buffer) => lines.push(`stderr: ${d.toString()}`));
    void exited.then((code) => reject(new Error(`server exited with ${code} before ready:\n${lines.join('\n')}`)));
  });
  ready.catch(() => {});
  return {
    child,
    lines,
    ready,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Resident set size of a process, from /proc (Linux). */
export function rssBytes(pid: number, read: (p: string) => string): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`));
  return m ? Number(m[1]) * 1024 : 0;
}
