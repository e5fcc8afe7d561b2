import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { esc, htmlPage } from './html-page.ts';
import { metOf, statusOf, type RunIndexRow } from './run-rows.ts';

/** One cell of the matrix: a variant on one server, run (a row) or not applicable (why). */
export interface MatrixCell {
  scenario: string;
  variant: string;
  server: string;
  row?: RunIndexRow;
  notApplicable?: string;
}

type Cell = { mark: string; text: string; report?: string };

function cellOf(c: MatrixCell | undefined, outRoot: string): Cell {
  if (!c) return { mark: '', text: 'not run' };
  if (c.notApplicable) return { mark: '–', text: `not applicable: ${c.notApplicable}` };
  const r = c.row!;
  if (r.error) return { mark: '✘', text: `error: ${r.error}` };
  return { mark: metOf(r) ? '✔' : '✘', text: statusOf(r), ...(r.runDir ? { report: relative(outRoot, join(r.runDir, 'report.html')) } : {}) };
}

/** Columns in the order the servers were named (`--server a,b`), else as they first appear. */
function grid(cells: readonly MatrixCell[], order: readonly string[] = []) {
  const servers = [...new Set([...order, ...cells.map((c) => c.server)])];
  const variants = [...new Map(cells.map((c) => [`${c.scenario}/${c.variant}`, c])).values()];
  const at = (v: MatrixCell, server: string) => cells.find((c) => c.scenario === v.scenario && c.variant === v.variant && c.server === server);
  return { servers, variants, at };
}

export function matrixMarkdown(cells: readonly MatrixCell[], outRoot: string, startedAt: string, order: readonly string[] = []): string {
  const { servers, variants, at } = grid(cells, order);
  const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `# Scenarios × servers, run of ${startedAt}`,
    '',
    '✔ met its expectation · ✘ did not (or could not run) · – not applicable on that server (docs/servers.md)',
    '',
    `| scenario / variant | ${servers.join(' | ')} |`,
    `|---|${servers.map(() => '---').join('|')}|`,
    ...variants.map((v) => `| ${v.scenario} / ${v.variant} | ${servers.map((s) => {
      const c = cellOf(at(v, s), outRoot);
      return `${c.mark} ${md(c.text)}${c.report ? ` ([report](${c.report}))` : ''}`.trim();
    }).join(' | ')} |`),
    '',
  ];
  for (const s of servers) {
    const ran = cells.filter((c) => c.server === s && c.row);
    lines.push(`- ${s}: ${ran.filter((c) => metOf(c.row!) && !c.row!.error).length} of ${ran.length} run variant(s) met their expectation; ${cells.filter((c) => c.server === s && c.notApplicable).length} not applicable`);
  }
  lines.push('', 'With links to every run report: [matrix.html](matrix.html).', '');
  return lines.join('\n');
}

export function matrixHtml(cells: readonly MatrixCell[], outRoot: string, startedAt: string, order: readonly string[] = []): string {
  const { servers, variants, at } = grid(cells, order);
  const rows = variants.map((v) => `<tr><td>${esc(v.scenario)} / ${esc(v.variant)}</td>${servers.map((s) => {
    const c = cellOf(at(v, s), outRoot);
    const cls = c.mark === '✔' ? 'pass' : c.mark === '✘' ? 'fail' : 'na';
    return `<td class="${cls}">${esc(c.mark)} ${esc(c.text)}${c.report ? ` <a href="${esc(c.report)}">report</a>` : ''}</td>`;
  }).join('')}</tr>`);
  const body = `<h1>Scenarios × servers</h1>
<p class="meta">Run of ${esc(startedAt)}. ✔ met its expectation · ✘ did not (or could not run) · – not applicable on that server: the reason says what the variant needs that the server lacks.</p>
<table id="matrix"><thead><tr><th>scenario / variant</th>${servers.map((s) => `<th>${esc(s)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return htmlPage({ title: 'Scenarios × servers', body, groups: [] });
}

/** `matrix.md` and `matrix.html` in the output root; returns the markdown file. */
export async function writeServerMatrix(outRoot: string, cells: readonly MatrixCell[], startedAt: string, order: readonly string[] = []): Promise<string> {
  const file = join(outRoot, 'matrix.md');
  await writeFile(file, matrixMarkdown(cells, outRoot, startedAt, order));
  await writeFile(join(outRoot, 'matrix.html'), matrixHtml(cells, outRoot, startedAt, order));
  return file;
}
