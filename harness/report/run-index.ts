import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

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
const metOf = (r: RunIndexRow) => r.met && unfinishedReason(r) === undefined;
const statusOf = (r: RunIndexRow) => {
  const why = unfinishedReason(r);
  return why ? `${r.status}, did not finish: ${why}` : r.status;
};

/** The table printed at the end of a multi-scenario run (aligned columns, readable in CI logs). */
export function formatRunTable(rows: readonly RunIndexRow[]): string {
  const cells = rows.map((r) => [metOf(r) ? '✔' : '✘', `${r.scenario}/${r.variant}`, statusOf(r), r.error ?? '']);
  const width = [1, Math.max(...cells.map((c) => c[1]!.length)), Math.max(...cells.map((c) => c[2]!.length))];
  const lines = cells.map((c) => [c[0], c[1]!.padEnd(width[1]!), c[2]!.padEnd(width[2]!), c[3]].join('  ').trimEnd());
  const met = rows.filter(metOf).length;
  return [...lines, `${met} of ${rows.length} variant(s) met their expectation`].join('\n');
}

/** `index.md` in the output root: the last run's verdicts with links to each report (for CI pages). */
export async function writeRunIndex(outRoot: string, rows: readonly RunIndexRow[], startedAt: string): Promise<string> {
  const file = join(outRoot, 'index.md');
  const body = [
    `# Replay run of ${startedAt}`,
    '',
    '| | scenario / variant | verdict | report |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${metOf(r) ? '✔' : '✘'} | ${r.scenario} / ${r.variant} | ${r.error ? `error: ${r.error.replace(/\|/g, '\\|')}` : statusOf(r).replace(/\|/g, '\\|')} | ${r.runDir ? `[summary](${relative(outRoot, join(r.runDir, 'summary.md'))}) · [report](${relative(outRoot, join(r.runDir, 'report.html'))})` : '–'} |`),
    '',
    `${rows.filter(metOf).length} of ${rows.length} variant(s) met their expectation.`,
    '',
  ].join('\n');
  await writeFile(file, body);
  return file;
}
