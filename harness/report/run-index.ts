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
}

/** The table printed at the end of a multi-scenario run (aligned columns, readable in CI logs). */
export function formatRunTable(rows: readonly RunIndexRow[]): string {
  const cells = rows.map((r) => [r.met ? '✔' : '✘', `${r.scenario}/${r.variant}`, r.status, r.error ?? '']);
  const width = [1, Math.max(...cells.map((c) => c[1]!.length)), Math.max(...cells.map((c) => c[2]!.length))];
  const lines = cells.map((c) => [c[0], c[1]!.padEnd(width[1]!), c[2]!.padEnd(width[2]!), c[3]].join('  ').trimEnd());
  const met = rows.filter((r) => r.met).length;
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
    ...rows.map((r) => `| ${r.met ? '✔' : '✘'} | ${r.scenario} / ${r.variant} | ${r.error ? `error: ${r.error.replace(/\|/g, '\\|')}` : r.status} | ${r.runDir ? `[summary](${relative(outRoot, join(r.runDir, 'summary.md'))}) · [report](${relative(outRoot, join(r.runDir, 'report.html'))})` : '–'} |`),
    '',
    `${rows.filter((r) => r.met).length} of ${rows.length} variant(s) met their expectation.`,
    '',
  ].join('\n');
  await writeFile(file, body);
  return file;
}
