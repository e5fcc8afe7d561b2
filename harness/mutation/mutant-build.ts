import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { run } from '../platform/exec.ts';
import type { Mutation } from './mutation-patches.ts';

/**
 * A mutated server is built in a temporary copy of server-under-test/, never in the checkout:
 *   <work>/tsconfig.json              the project's compiler options, including every mutant's src
 *   <work>/node_modules               link to the checkout's (esbuild and tsc resolve from here)
 *   <work>/package.json               "type": "module", as the project's (the source is ESM)
 *   <work>/<id>/tsconfig.json         the project's root tsconfig (the copy's own one extends it)
 *   <work>/<id>/server-under-test/    the copy, patched; dist/server.mjs once built
 * The harness runs it with HARNESS_SERVER_BUNDLE_DIR=<work>/<id>/server-under-test/dist.
 */
export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export interface Mutant {
  mutation: Mutation;
  /** The patched copy of server-under-test/. */
  dir: string;
  /** Where build.mjs writes server.mjs: the value for HARNESS_SERVER_BUNDLE_DIR. */
  bundleDir: string;
}

export class MutantBuildError extends Error {
  readonly code = 'MUTANT_BUILD_FAILED';
}

const COPIED = ['src', 'build.mjs', 'tsconfig.json'];

async function linkNodeModules(work: string, root: string): Promise<void> {
  await symlink(join(root, 'node_modules'), join(work, 'node_modules')).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
}

/** Copies server-under-test/ into `work`/<id>/ and applies the patch there (git apply, no repository needed). */
export async function prepareMutant(mutation: Mutation, work: string, root: string = PROJECT_ROOT): Promise<Mutant> {
  await mkdir(work, { recursive: true });
  await linkNodeModules(work, root);
  await writeFile(join(work, 'package.json'), '{ "private": true, "type": "module" }\n');
  const base = join(work, mutation.id);
  const dir = join(base, 'server-under-test');
  await mkdir(dir, { recursive: true });
  for (const name of COPIED) await cp(join(root, 'server-under-test', name), join(dir, name), { recursive: true });
  await cp(join(root, 'tsconfig.json'), join(base, 'tsconfig.json'));
  const applied = await run('git', ['apply', '--whitespace=nowarn', mutation.file], { cwd: dir });
  if (applied.code !== 0) {
    throw new MutantBuildError(`${mutation.id}: the patch no longer applies to server-under-test/ (${applied.stderr.trim()}); regenerate it against the current source`);
  }
  return { mutation, dir, bundleDir: join(dir, 'dist') };
}

/** One tsc program over every mutant's src (one run instead of one per mutant). */
export async function typecheckMutants(mutants: readonly Mutant[], work: string, root: string = PROJECT_ROOT): Promise<void> {
  if (mutants.length === 0) throw new MutantBuildError('typecheckMutants: no mutants given');
  const project = JSON.parse(await readFile(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  const config = { compilerOptions: project.compilerOptions, include: mutants.map((m) => join(m.dir, 'src')), exclude: ['**/dist', '**/*.test.ts'] };
  const file = join(work, 'tsconfig.json');
  await writeFile(file, JSON.stringify(config, null, 2));
  const tsc = await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', file], { timeoutMs: 300_000 });
  if (tsc.code !== 0) throw new MutantBuildError(`mutated server does not type-check:\n${(tsc.stdout + tsc.stderr).trim()}`);
}

/** Runs the copy's own build.mjs: dist/server.mjs beside the patched source. */
export async function buildMutant(mutant: Mutant): Promise<void> {
  const built = await run(process.execPath, [join(mutant.dir, 'build.mjs')], { cwd: mutant.dir, timeoutMs: 120_000 });
  if (built.code !== 0) throw new MutantBuildError(`${mutant.mutation.id}: build.mjs failed:\n${(built.stdout + built.stderr).trim()}`);
}
