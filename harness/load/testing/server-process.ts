/**
 * Test helper: one pod of the server under test as a child process on a free 127.0.0.1 port, as
 * `npm run server` starts it. The caller stops it (afterEach/afterAll); stop() kills by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = 'server-under-test/src/main.ts';

export const TEST_APP = { id: '4242', key: 'test-key', secret: 'test-secret' } as const;

export interface ServerProcess {
  port: number;
  pod: string;
  /** Last log lines, for failure messages. */
  logs: string[];
  /** Graceful: SIGTERM (the pod tells clients to reconnect with 4200). */
  stop(): Promise<void>;
  /** SIGKILL: sockets die without close frames. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: a wedged pod that keeps its sockets open but answers nothing. */
  pause(): void;
  resume(): void;
}

/** `main`: the entry file, relative to the checkout or absolute (a mutated copy of the server). */
export async function startServerProcess(env: Record<string, string> = {}, timeoutMs = 30_000, main: string = MAIN): Promise<ServerProcess> {
  const pod = env.POD_NAME ?? `test-pod-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      POD_NAME: pod,
      APP_ID: TEST_APP.id,
      APP_KEY: TEST_APP.key,
      APP_SECRET: TEST_APP.secret,
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '300',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const keep = (line: string): void => {
    logs.push(line);
    if (logs.length > 50) logs.shift();
  };
  createInterface({ input: child.stderr! }).on('line', keep);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server pod not ready after ${timeoutMs} ms; last log lines:\n${logs.join('\n')}`));
    }, timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'ready' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        // not a JSON log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server pod exited with ${code} before ready; last log lines:\n${logs.join('\n')}`));
    });
  });
  const end = (signal: NodeJS.Signals): Promise<void> =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(hard);
        resolve();
      });
      child.kill(signal);
    });
  return {
    port,
    pod,
    logs,
    stop: () => {
      child.kill('SIGCONT'); // a paused pod could not handle SIGTERM
      return end('SIGTERM');
    },
    kill: () => end('SIGKILL'),
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
  };
}

/** Waits until `check()` is true, polling every `everyMs`; false after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 10_000, everyMs = 25): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}
