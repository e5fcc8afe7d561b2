import type { ChildProcess } from 'node:child_process';
import { noteHostProcess } from './run-registry.ts';

// Host processes this process started (k6): the teardown kills them whatever ended the run, and
// the run registry records them so the next command finds them if this process dies first.

const running = new Set<ChildProcess>();

export function trackHostProcess(child: ChildProcess, name: string): void {
  running.add(child);
  if (child.pid) noteHostProcess(child.pid, name);
  const forget = () => running.delete(child);
  child.once('error', forget);
  child.once('close', forget);
}

/** Kills every tracked host process still running; returns how many there were. */
export function killHostProcesses(): number {
  for (const child of running) child.kill('SIGKILL');
  return running.size;
}
