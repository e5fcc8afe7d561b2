import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every test, and every harness process a test starts, makes its scratch files under one directory
// per vitest run, removed when the run ends: a test that forgets to clean up leaves nothing in /tmp.
export default function scratchTmpdir(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'harness-tests-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
