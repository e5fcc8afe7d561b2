import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderMarginHtml } from './margin-html.ts';
import { renderMarginMarkdown } from './margin-markdown.ts';
import type { MarginReport } from './margin-report.ts';

export interface WrittenMargin {
  json: string;
  markdown: string;
  html: string;
}

/** margin.json, margin.md and margin.html in the search's directory. */
export async function writeMarginReport(dir: string, report: MarginReport): Promise<WrittenMargin> {
  await mkdir(dir, { recursive: true });
  const out = { json: join(dir, 'margin.json'), markdown: join(dir, 'margin.md'), html: join(dir, 'margin.html') };
  await writeFile(out.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(out.markdown, renderMarginMarkdown(report));
  await writeFile(out.html, renderMarginHtml(report));
  return out;
}
