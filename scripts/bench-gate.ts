/**
 * `npm run bench:gate`: the gate's own mutation check. For each patch in server-under-test/mutations/
 * it builds the mutated server in a temporary copy (the checkout is never touched), replays the
 * remediated variant of every scenario against it through the real CLI
 * (HARNESS_SERVER_BUNDLE_DIR points the pods at the mutated bundle), and prints which SLO caught it.
 * Not part of `npm test`: each mutation costs a full replay of every remediated variant.
 *
 *   npm run bench:gate -- [--mutations 07,limiter] [--scenarios connection-limit,oom-cascade]
 *                         [--first-catch] [--baseline] [--lock /path/docker.lock] [--out DIR] [--keep]
 *   npm run bench:gate -- --tabulate DIR     the table again from the runs saved under DIR (e.g. a bench cut short)
 * Each mutation's own scenarios (its header's `Replay first:`) are replayed first; with --first-catch
 * the rest are skipped once one remediated variant caught it (a miss still replays every scenario).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ownerId, processStartTime } from '../harness/platform/owner.ts';
import { scenarioFiles } from '../harness/scenario/scenario-files.ts';
import { SERVER_BUNDLE_DIR, SERVER_BUNDLE_ENV } from '../harness/platform/server-bundle.ts';
import { BASELINE, catchSummarySchema, formatCatchTable, mutationRow, outcomesOf, type MutationRow, type ScenarioRun } from '../harness/mutation/catch-table.ts';
import { buildMutant, prepareMutant, PROJECT_ROOT, typecheckMutants } from '../harness/mutation/mutant-build.ts';
import { cliCommand, list, runCommand, runDirsOf, subdirs } from './lib/harness-cli.ts';
import { listMutations, replayOrder, selectMutations } from '../harness/mutation/mutation-patches.ts';

const { values: opts } = parseArgs({
  options: {
    mutations: { type: 'string' },
    scenarios: { type: 'string' },
    baseline: { type: 'boolean', default: false },
    'first-catch': { type: 'boolean', default: false },
    lock: { type: 'string' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
    tabulate: { type: 'string' },
  },
});

async function replay(scenario: string, bundleDir: string, out: string, session: string): Promise<ScenarioRun> {
  const started = performance.now();
  const env = { ...process.env, [SERVER_BUNDLE_ENV]: bundleDir, HARNESS_SESSION_ID: session };
  const [cmd, args] = cliCommand(opts.lock, ['run', scenario, '--variant', 'remediated', '--json', '--out', out]);
  let outcomes: ScenarioRun['outcomes'] = [];
  let error: string | undefined;
  try {
    const { code, stdout } = await runCommand(cmd, args, env);
    const runDirs = runDirsOf(stdout);
    for (const runDir of runDirs) {
      outcomes.push(...outcomesOf(catchSummarySchema.parse(JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')))));
    }
    // Exit 2 is a usage or set-up error (or a variant that could not run): no verdict to count.
    if (code === 2 || runDirs.length === 0) error = `harness run exited ${code} with ${runDirs.length} verdict(s)`;
  } catch (err) {
    error = (err as Error).message.split('\n')[0];
    outcomes = [];
  } finally {
    const [dcmd, dargs] = cliCommand(opts.lock, ['down', '--session', session]);
    await runCommand(dcmd, dargs, env).catch(() => undefined);
  }
  return { scenario, seconds: (performance.now() - started) / 1000, outcomes, error };
}

/** Rows from the run directories a bench left under `dir` (<mutation>/<scenario>/<run-id>/summary.json); time is replay time. */
function tabulate(dir: string, of: number): MutationRow[] {
  const rows: MutationRow[] = [];
  for (const name of subdirs(dir)) {
    const runs: ScenarioRun[] = [];
    for (const scenario of subdirs(join(dir, name))) {
      const outcomes = subdirs(join(dir, name, scenario))
        .map((run) => join(dir, name, scenario, run, 'summary.json'))
        .filter((f) => existsSync(f))
        .flatMap((f) => outcomesOf(catchSummarySchema.parse(JSON.parse(readFileSync(f, 'utf8')))));
      runs.push({ scenario, seconds: outcomes.reduce((n, o) => n + o.replaySeconds, 0), outcomes, error: outcomes.length ? undefined : 'no summary.json (the replay did not finish)' });
    }
    rows.push(mutationRow(name === 'baseline' ? BASELINE : name, runs, undefined, of));
  }
  if (rows.length === 0) throw new Error(`--tabulate ${dir}: no mutation directories in it`);
  return rows;
}

const WORK_PREFIX = 'bench-gate-';

/** Work directories (`bench-gate-<pid>-<start time>-…`) whose owning process is gone. */
function staleWorkDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => {
    const m = new RegExp(`^${WORK_PREFIX}(\\d+)-(\\d+)-`).exec(name);
    return m !== null && processStartTime(Number(m[1])) !== m[2];
  });
}

async function main(): Promise<void> {
  // A bench killed mid-run (Ctrl-C, SIGKILL) leaves its mutant copies: the next one removes those of dead owners.
  for (const stale of staleWorkDirs()) rmSync(join(tmpdir(), stale), { recursive: true, force: true });
  if (opts.tabulate) {
    console.log(formatCatchTable(tabulate(resolve(opts.tabulate), (await scenarioFiles()).length)));
    return;
  }
  const all = listMutations();
  const mutations = selectMutations(all, list(opts.mutations));
  const known = (await scenarioFiles()).map((f) => basename(f, '.ts'));
  const scenarios = list(opts.scenarios).length ? list(opts.scenarios) : known;
  const unknown = scenarios.filter((s) => !known.includes(s));
  if (unknown.length) throw new Error(`--scenarios: no scenario ${unknown.join(', ')}; known: ${known.join(', ')}`);
  for (const m of mutations) {
    const bad = m.replayFirst.filter((s) => !known.includes(s));
    if (bad.length) throw new Error(`${m.file}: "Replay first:" names ${bad.join(', ')}, not a scenario; known: ${known.join(', ')}`);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = resolve(opts.out ?? join(PROJECT_ROOT, 'reports', 'out', 'bench-gate', stamp));
  const work = mkdtempSync(join(tmpdir(), `${WORK_PREFIX}${ownerId()}-`));
  const session = process.env.HARNESS_SESSION_ID ?? `bench-gate-${process.pid}`;
  await mkdir(out, { recursive: true });
  console.error(`bench:gate: ${mutations.length} mutation(s) × ${scenarios.length} remediated variant(s); work ${work}; runs under ${out}`);

  const rows: MutationRow[] = [];
  const report = async (row: MutationRow): Promise<void> => {
    rows.push(row);
    console.error(`bench:gate: ${row.mutation}: ${row.verdict}${row.caughtBy.length ? ` by ${row.caughtBy.join('; ')}` : ''} (${Math.round(row.seconds)} s)`);
    await writeFile(join(out, 'rows.json'), JSON.stringify(rows, null, 2));
    await writeFile(join(out, 'catch-table.md'), `${formatCatchTable(rows)}\n`);
  };
  try {
    if (opts.baseline) {
      const runs: ScenarioRun[] = [];
      for (const s of scenarios) runs.push(await replay(s, SERVER_BUNDLE_DIR, join(out, 'baseline'), session));
      await report(mutationRow(BASELINE, runs, undefined, scenarios.length));
    }
    for (const mutation of mutations) {
      const started = performance.now();
      let mutant;
      try {
        mutant = await prepareMutant(mutation, work);
        await typecheckMutants([mutant], work);
        await buildMutant(mutant);
      } catch (err) {
        await report({ ...mutationRow(mutation.id, [], (err as Error).message.split('\n')[0]), seconds: (performance.now() - started) / 1000 });
        continue;
      }
      const runs: ScenarioRun[] = [];
      for (const s of replayOrder(mutation, scenarios)) {
        runs.push(await replay(s, mutant.bundleDir, join(out, mutation.id), session));
        if (opts['first-catch'] && mutationRow(mutation.id, runs).verdict === 'caught') break;
      }
      const row = mutationRow(mutation.id, runs, undefined, scenarios.length);
      await report({ ...row, seconds: (performance.now() - started) / 1000 });
    }
  } finally {
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
  }
  console.log(formatCatchTable(rows));
  console.error(`bench:gate: table in ${join(out, 'catch-table.md')}`);
}

main().catch((err: Error) => {
  console.error(`bench:gate: ${err.message}`);
  process.exitCode = 2;
});
