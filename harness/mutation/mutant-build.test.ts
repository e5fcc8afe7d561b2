import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMutant, prepareMutant, PROJECT_ROOT, typecheckMutants, type Mutant } from './mutant-build.ts';
import { listMutations } from './mutation-patches.ts';

// The smoke test of the mutation bench (no Docker): every patch still applies to the current
// server-under-test/, the patched server type-checks and builds, and the checkout is left alone.

describe('every mutation against the current server-under-test', () => {
  const mutations = listMutations();
  let work = '';
  const mutants: Mutant[] = [];
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('applies cleanly in a temporary copy and really changes the source', async () => {
    work = await mkdtemp(join(tmpdir(), 'mutants-'));
    for (const m of mutations) mutants.push(await prepareMutant(m, work));
    expect(mutants.length).toBe(mutations.length);
    for (const mutant of mutants) {
      const changed = [...readFileSync(mutant.mutation.file, 'utf8').matchAll(/^\+\+\+ b\/(.+)$/gm)].map((x) => x[1]!);
      expect(changed.length, mutant.mutation.id).toBeGreaterThan(0);
      for (const f of changed) {
        expect(await readFile(join(mutant.dir, f), 'utf8'), `${mutant.mutation.id}: ${f}`).not.toBe(await readFile(join(PROJECT_ROOT, 'server-under-test', f), 'utf8'));
      }
    }
  });

  it('type-checks (one tsc program over all mutants)', async () => {
    expect(mutants.length).toBe(mutations.length);
    await expect(typecheckMutants(mutants, work)).resolves.toBeUndefined();
  }, 180_000);

  it('builds a bundle of its own (no two mutants build the same server.mjs)', async () => {
    expect(mutants.length).toBe(mutations.length);
    const bundles = new Set<string>();
    for (const mutant of mutants) {
      await buildMutant(mutant);
      bundles.add(await readFile(join(mutant.bundleDir, 'server.mjs'), 'utf8'));
    }
    expect(bundles.size).toBe(mutants.length);
  }, 120_000);
});

describe('a mutant that breaks the build', () => {
  it('is refused by the type check, and a patch that does not apply is named', async () => {
    const work = await mkdtemp(join(tmpdir(), 'mutants-bad-'));
    try {
      const typeError = join(work, '98-type-error.patch');
      await writeFile(typeError, 'diff --git a/src/broken.ts b/src/broken.ts\nnew file mode 100644\n--- /dev/null\n+++ b/src/broken.ts\n@@ -0,0 +1 @@\n+export const broken: number = "not a number";\n');
      const mutant = await prepareMutant({ id: '98-type-error', file: typeError, part: 'p', bug: 'b', caughtBy: 'c', replayFirst: [] }, work);
      await expect(typecheckMutants([mutant], work)).rejects.toThrow(/does not type-check[\s\S]*broken\.ts\(1,14\): error TS2322/);
      const stale = join(work, '99-stale.patch');
      await writeFile(stale, 'diff --git a/src/log.ts b/src/log.ts\n--- a/src/log.ts\n+++ b/src/log.ts\n@@ -1 +1 @@\n-a line that is not there\n+x\n');
      await expect(prepareMutant({ id: '99-stale', file: stale, part: 'p', bug: 'b', caughtBy: 'c', replayFirst: [] }, work)).rejects.toThrow(/99-stale: the patch no longer applies/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 120_000);
});
