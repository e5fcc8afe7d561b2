import { readFileSync } from 'node:fs';

/**
 * The start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), or
 * undefined when it is gone. A PID alone can be reused; PID plus start time names one process.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let self: string | undefined;

/** This process as an owner id, `<pid>-<start time>`: carried by its containers (label) and host processes (env). */
export function ownerId(): string {
  self ??= `${process.pid}-${processStartTime(process.pid) ?? 'unknown'}`;
  return self;
}

/** The environment variable every host process the harness starts carries, so recovery can find it. */
export const OWNER_ENV = 'HARNESS_OWNER';
