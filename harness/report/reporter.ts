import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunReport } from './report-data.ts';

// One small interface for every output (k6 outputs): a name, the file it writes, and a pure render.
// Rendering is pure so tests check content without touching the disk; writing is done once, here.

export interface Reporter {
  readonly name: string;
  readonly file: string;
  render(report: RunReport): string;
}

/** Render every reporter and write its file into `dir`; returns the written paths. */
export async function writeReports(dir: string, report: RunReport, reporters: readonly Reporter[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const r of reporters) {
    const file = path.join(dir, r.file);
    await writeFile(file, r.render(report));
    written.push(file);
  }
  return written;
}
