// A row of the run index: one requested variant of one `harness run`, and how it reads.

/** One requested variant of one `harness run`: its verdict, or the error that stopped it. */
export interface RunIndexRow {
  scenario: string;
  variant: string;
  status: string;
  met: boolean;
  runDir: string | undefined;
  error: string | undefined;
  /** Why the run did not finish (history without run.ended, a `.partial` directory); never listed as finished. */
  unfinished?: string | undefined;
}

/** `harness run` writes into `<id>.partial` and renames only a completed run: that suffix means it did not finish. */
export const PARTIAL_SUFFIX = '.partial';

export function isPartialRunDir(dir: string): boolean {
  return dir.replace(/[\\/]+$/, '').endsWith(PARTIAL_SUFFIX);
}

/** Why a row's run did not finish, or undefined for a finished run. */
export function unfinishedReason(r: Pick<RunIndexRow, 'runDir' | 'unfinished'>): string | undefined {
  if (r.unfinished) return r.unfinished;
  if (r.runDir && isPartialRunDir(r.runDir)) return 'the run directory is still .partial';
  return undefined;
}

/** An unfinished run never counts as met, whatever its status says. */
export const metOf = (r: RunIndexRow) => r.met && unfinishedReason(r) === undefined;
export const statusOf = (r: RunIndexRow) => {
  const why = unfinishedReason(r);
  return why ? `${r.status}, did not finish: ${why}` : r.status;
};

