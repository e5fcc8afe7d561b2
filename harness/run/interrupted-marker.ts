import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { creationGate } from '../platform/creation-gate.ts';

/** Written into a finished run's directory when an interrupt came before its reports were all written. */
export const INTERRUPTED_FILE = 'INTERRUPTED.json';
const REPORT_FILES = ['summary.json', 'junit.xml', 'report.html', 'summary.md'];

/** Marks `runDir` as interrupted when an interrupt has begun and a report file is missing. */
export async function markInterrupted(runDir: string): Promise<boolean> {
  const signal = creationGate.closedSignal;
  if (!signal || !existsSync(runDir) || REPORT_FILES.every((f) => existsSync(join(runDir, f)))) return false;
  const note = { interrupted: signal, at: new Date().toISOString(), fix: `the replay finished but its reports were not all written: run \`harness report ${runDir}\`` };
  await writeFile(join(runDir, INTERRUPTED_FILE), `${JSON.stringify(note, null, 2)}\n`);
  return true;
}

/** `harness report` wrote every report: the mark no longer applies. */
export function clearInterrupted(runDir: string): Promise<void> {
  return rm(join(runDir, INTERRUPTED_FILE), { force: true });
}
