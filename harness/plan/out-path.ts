import { accessSync, constants, statSync, statfsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { HarnessError } from '../scenario/errors.ts';

// `--out` is checked before anything starts, without creating anything: a run that could not write
// its report would have started containers for nothing (and /proc can make mkdir hang).

/** Longest file name most Linux filesystems take (NAME_MAX), and the longest path (PATH_MAX). */
export const NAME_MAX = 255;
export const PATH_MAX = 4096;
/** Room for what the run writes inside its directory (`work/haproxy/public-fallback.map`, ...). */
const INSIDE_RUN_DIR = 200;

// statfs magic numbers of kernel pseudo-filesystems: writing a report there is never meant.
const PSEUDO_FS: Record<number, string> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x64626720: 'debugfs',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x73636673: 'securityfs',
  0x74726163: 'tracefs',
  0x1cd1: 'devpts',
  0xcafe4a11: 'bpf',
};
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

export class OutPathError extends HarnessError {
  readonly code = 'OUT_PATH_INVALID';
  constructor(readonly path: string, reason: string) {
    super(`--out ${path}: ${reason}`);
    this.name = 'OutPathError';
  }
}

/** The deepest part of `path` that exists. */
function existingAncestor(path: string): string {
  let p = path;
  for (;;) {
    try {
      statSync(p);
      return p;
    } catch {
      const up = dirname(p);
      if (up === p) return p;
      p = up;
    }
  }
}

/**
 * Throws `OutPathError` (path and reason) unless the run directories `<out>/<scenario id>/<run id>.partial`
 * can be created: every name short enough, under a directory (not a file), writable, on a real filesystem.
 */
/** A path with its over-long names cut, so the message stays readable. */
function shortened(path: string): string {
  return path.split(sep).map((part) => (part.length > 60 ? `${part.slice(0, 40)}…(${Buffer.byteLength(part)} bytes)` : part)).join(sep);
}

export function checkOutPath(out: string, runDirs: readonly { scenarioId: string; runId: string; file?: string }[]): void {
  const root = resolve(out);
  if (PSEUDO_ROOTS.some((r) => root === r || root.startsWith(`${r}${sep}`))) {
    throw new OutPathError(root, `is on a kernel pseudo-filesystem (${root.split(sep)[1]}), where reports cannot be written: choose a directory on a disk, e.g. --out reports/out`);
  }
  for (const { scenarioId, runId, file } of runDirs) {
    const dir = resolve(root, scenarioId, `${runId}.partial`);
    const long = dir.split(sep).find((part) => Buffer.byteLength(part) > NAME_MAX);
    const from = file ? ` (${file}: id)` : '';
    if (long !== undefined) {
      throw new OutPathError(shortened(dir), `a name in it is ${Buffer.byteLength(long)} bytes, over the ${NAME_MAX} a file name may have (ENAMETOOLONG): shorten the scenario id${from}, ${scenarioId.length} characters, or the variant name`);
    }
    if (Buffer.byteLength(dir) + INSIDE_RUN_DIR > PATH_MAX) {
      throw new OutPathError(shortened(dir), `the run directory's path is ${Buffer.byteLength(dir)} bytes; with the files inside it, over the ${PATH_MAX} a path may have: choose a shorter --out or a shorter scenario id${from}`);
    }
  }
  const base = existingAncestor(root);
  const st = statSync(base);
  if (!st.isDirectory()) {
    throw new OutPathError(root, `${base === root ? 'is' : `is under ${base}, which is`} a regular file, not a directory (ENOTDIR): choose a directory, or remove the file`);
  }
  try {
    accessSync(base, constants.W_OK | constants.X_OK);
  } catch {
    throw new OutPathError(root, `${base === root ? 'is' : `would be created in ${base}, which is`} not writable by this user: choose a writable directory, or fix its permissions`);
  }
  const fsType = PSEUDO_FS[statfsSync(base).type];
  if (fsType !== undefined) throw new OutPathError(root, `is on a kernel pseudo-filesystem (${fsType}), where reports cannot be written: choose a directory on a disk`);
}
