import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { formatDrift, type Drift } from './drift.ts';
import type { TrendSeries } from './trend.ts';
import { metOf, statusOf, type RunIndexRow } from './run-rows.ts';
import { renderIndexHtml, trendMarkdown } from './trend-view.ts';

export { isPartialRunDir, metOf, PARTIAL_SUFFIX, statusOf, unfinishedReason, type RunIndexRow } from './run-rows.ts';

/** The table printed at the end of a multi-scenario run (aligned columns, readable in CI logs). */
export function formatRunTable(rows: readonly RunIndexRow[]): string {
  const cells = rows.map((r) => [metOf(r) ? '✔' : '✘', `${r.scenario}/${r.variant}`, statusOf(r), r.error ?? '']);
  const width = [1, Math.max(...cells.map((c) => c[1]!.length)), Math.max(...cells.map((c) => c[2]!.length))];
  const lines = cells.map((c) => [c[0], c[1]!.padEnd(width[1]!), c[2]!.padEnd(width[2]!), c[3]].join('  ').trimEnd());
  const met = rows.filter(metOf).length;
  return [...lines, `${met} of ${rows.length} variant(s) met their expectation`].join('\n');
}

export interface IndexExtras {
  /** Combined report per scenario (absolute paths). */
  combined?: ReadonlyMap<string, string>;
  series?: readonly TrendSeries[];
  drift?: readonly Drift[];
}

/**
 * `index.md` and `index.html` in the output root: the last run's verdicts with links to each report
 * (for CI pages), the combined report per scenario, drift warnings and the trend of every SLO.
 */
export async function writeRunIndex(outRoot: string, rows: readonly RunIndexRow[], startedAt: string, extras: IndexExtras = {}): Promise<string> {
  const file = join(outRoot, 'index.md');
  const combined = [...(extras.combined ?? new Map<string, string>())];
  const body = [
    `# Replay run of ${startedAt}`,
    '',
    '| | scenario / variant | verdict | report |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${metOf(r) ? '✔' : '✘'} | ${r.scenario} / ${r.variant} | ${r.error ? `error: ${r.error.replace(/\|/g, '\\|')}` : statusOf(r).replace(/\|/g, '\\|')} | ${r.runDir ? `[summary](${relative(outRoot, join(r.runDir, 'summary.md'))}) · [report](${relative(outRoot, join(r.runDir, 'report.html'))})` : '–'} |`),
    '',
    `${rows.filter(metOf).length} of ${rows.length} variant(s) met their expectation.`,
    '',
    ...(combined.length ? ['Variants side by side: ' + combined.map(([scenario, f]) => `[${scenario}](${relative(outRoot, f)})`).join(' · '), ''] : []),
    ...(extras.drift?.length ? ['## Drift towards a threshold', '', ...extras.drift.map((d) => `- ⚠️ ${formatDrift(d)}`), ''] : []),
    ...trendMarkdown(extras.series ?? []),
    'The same with charts: [index.html](index.html).',
    '',
  ].join('\n');
  await writeFile(file, body);
  await writeFile(join(outRoot, 'index.html'), renderIndexHtml({ outRoot, startedAt, rows, combined: new Map(combined), series: extras.series ?? [], drift: extras.drift ?? [] }));
  return file;
}
