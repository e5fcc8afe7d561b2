import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { checkOutPath } from '../plan/out-path.ts';
import { ExportError } from './export-error.ts';

export interface ExportFile {
  /** A file name inside the export directory. */
  name: string;
  text: string;
}

/**
 * `--out` of an export, checked before anything is built: a directory that can be created (the same
 * checks as `harness run --out`), and not one that already holds files (an export never overwrites).
 */
export function checkExportDir(dir: string): void {
  const out = resolve(dir);
  checkOutPath(out, []);
  // checkOutPath refused a file at or above it: what exists here is a directory.
  if (existsSync(out) && readdirSync(out).length > 0) throw new ExportError(`--out ${out}: already holds files (an export never overwrites); choose another --out or remove it`);
}

/** The first directory of `path` that does not exist yet (what mkdir -p creates first), if any. */
function firstMissing(path: string): string | undefined {
  let missing: string | undefined;
  for (let p = path; !existsSync(p); p = dirname(p)) missing = p;
  return missing;
}

/**
 * Writes every file or none: into a scratch directory beside `dir`, renamed to `dir` once complete.
 * On a failure the scratch directory, and the parents this call created, are removed.
 */
export async function writeExportDir(dir: string, files: readonly ExportFile[]): Promise<void> {
  const out = resolve(dir);
  const parent = dirname(out);
  const created = firstMissing(parent);
  let scratch: string | undefined;
  try {
    await mkdir(parent, { recursive: true });
    scratch = await mkdtemp(join(parent, `.${basename(out)}.partial-`));
    for (const f of files) await writeFile(join(scratch, f.name), f.text, { flag: 'wx' });
    await chmod(scratch, 0o755); // mkdtemp's 0700 would hide the export from the user's other tools
    if (existsSync(out)) await rmdir(out); // empty: checkExportDir refused anything else
    await rename(scratch, out);
  } catch (err) {
    if (scratch) await rm(scratch, { recursive: true, force: true });
    if (created) await rm(created, { recursive: true, force: true });
    throw err;
  }
}
