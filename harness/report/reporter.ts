import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunReport } from './report-data.ts';

// One small interface for every output (k6 outputs), of a run and of a capacity measurement alike: a
// name, the file it writes, and a pure render. Rendering is pure so tests check content without
// touching the disk; writing is done once, here.

export interface Reporter<T = RunReport> {
  readonly name: string;
  readonly file: string;
  render(report: T): string;
}

/** Render every reporter and write its file into `dir`; returns the written paths. */
export async function writeReports<T>(dir: string, report: T, reporters: readonly Reporter<T>[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const r of reporters) {
    const file = path.join(dir, r.file);
    await writeFile(file, r.render(report));
    written.push(file);
  }
  return written;
}
