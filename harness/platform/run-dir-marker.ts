import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Written into a finished run's directory when its command ended before all its reports were written. */
export const INTERRUPTED_FILE = 'INTERRUPTED.json';
const REPORT_FILES = ['summary.json', 'junit.xml', 'report.html', 'summary.md', 'metrics.om'];

/**
 * Marks `runDir` (whose replay finished: its history is whole) as interrupted when a report file is
 * missing, with the command that renders them. Returns whether it marked it.
 */
export async function markInterrupted(runDir: string, why: string): Promise<boolean> {
  if (!existsSync(runDir) || REPORT_FILES.every((f) => existsSync(join(runDir, f)))) return false;
  const note = { interrupted: why, at: new Date().toISOString(), fix: `the replay finished but its reports were not all written: run \`harness report ${runDir}\`` };
  await writeFile(join(runDir, INTERRUPTED_FILE), `${JSON.stringify(note, null, 2)}\n`);
  return true;
}

/** `harness report` wrote every report: the mark no longer applies. */
export function clearInterrupted(runDir: string): Promise<void> {
  return rm(join(runDir, INTERRUPTED_FILE), { force: true });
}
