import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkExportDir, writeExportDir } from './export-dir.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'export-dir-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the export directory', () => {
  it('is written whole, creating its parents, readable by others', async () => {
    const dir = join(root, 'a', 'b', 'out');
    checkExportDir(dir);
    await writeExportDir(dir, [
      { name: 'x.yaml', text: 'x: 1\n' },
      { name: 'README.md', text: '# x\n' },
    ]);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'x.yaml']);
    expect(readFileSync(join(dir, 'x.yaml'), 'utf8')).toBe('x: 1\n');
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(readdirSync(join(root, 'a', 'b'))).toEqual(['out']); // no scratch directory left
  });

  it('may be an empty directory, never one that holds files or a file', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    checkExportDir(empty);
    await writeExportDir(empty, [{ name: 'x.yaml', text: 'x\n' }]);
    expect(readdirSync(empty)).toEqual(['x.yaml']);
    expect(() => checkExportDir(empty)).toThrow(/already holds files \(an export never overwrites\); choose another --out or remove it/);
    const file = join(root, 'file');
    writeFileSync(file, '');
    expect(() => checkExportDir(file)).toThrow(/is a regular file, not a directory \(ENOTDIR\)/);
    expect(() => checkExportDir(join(file, 'under'))).toThrow(/regular file, not a directory \(ENOTDIR\)/);
  });

  it('leaves nothing behind when a write fails: no scratch directory, no parent it created', async () => {
    const dir = join(root, 'new', 'deeper', 'out');
    // A name with a slash cannot be written inside the scratch directory: the second file fails.
    await expect(writeExportDir(dir, [{ name: 'ok.yaml', text: 'x\n' }, { name: 'no/such/dir.yaml', text: 'x\n' }])).rejects.toThrow(/ENOENT/);
    expect(existsSync(join(root, 'new'))).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });
});
