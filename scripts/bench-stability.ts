/**
 * `npm run bench:stability`: the gate's false-alarm check. Replays every variant (`--variant all`:
 * the at-scale ones are left out unless asked for) of every scenario N times on the unmutated server,
 * round after round (a series cut short still has whole rounds), through the real CLI, and prints
 * per variant how many runs met their expectation and why the others did not.
 * Not part of `npm test`: one round is a full replay (about 15 minutes on 2 cores).
 *
 *   npm run bench:stability -- [--runs 10] [--scenarios connection-limit,oom-cascade] [--variants all]
 *                              [--lock /path/docker.lock] [--out DIR]
 *   npm run bench:stability -- --tabulate DIR [--runs 10]   the table again from the runs under DIR
 * Runs are kept as DIR/round-<r>/<scenario>/<run-id>/ (summary.json, report.html, history.ndjson);
 * DIR/errors.ndjson lists the replays that gave no verdict; DIR/about.json the commit they ran.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../harness/mutation/mutant-build.ts';
import { scenarioFiles } from '../harness/scenario/scenario-files.ts';
import {
  formatStabilityTable,
  stabilityRows,
  stabilityRunsOf,
  stabilitySummarySchema,
  type StabilityError,
  type StabilityRun,
} from '../harness/mutation/stability-table.ts';
import { cliCommand, list, runCommand, runDirsOf, subdirs } from './lib/harness-cli.ts';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    scenarios: { type: 'string' },
    variants: { type: 'string', default: 'all' },
    lock: { type: 'string' },
    out: { type: 'string' },
    tabulate: { type: 'string' },
  },
});

const ROUND = /^round-(\d+)$/;

/** Every run kept under `dir` and every replay that gave no verdict. */
function collect(dir: string): { runs: StabilityRun[]; errors: StabilityError[] } {
  const runs: StabilityRun[] = [];
  for (const name of subdirs(dir)) {
    const m = ROUND.exec(name);
    if (!m) continue;
    for (const scenario of subdirs(join(dir, name))) {
      for (const run of subdirs(join(dir, name, scenario))) {
        const file = join(dir, name, scenario, run, 'summary.json');
        if (existsSync(file)) runs.push(...stabilityRunsOf(stabilitySummarySchema.parse(JSON.parse(readFileSync(file, 'utf8'))), Number(m[1])));
      }
    }
  }
  const errFile = join(dir, 'errors.ndjson');
  const errors = existsSync(errFile)
    ? readFileSync(errFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StabilityError)
    : [];
  return { runs, errors };
}

function gitHead(): string {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'harness', 'scenarios', 'server-under-test'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} with uncommitted changes` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function main(): Promise<void> {
  const runsAsked = Number(opts.runs);
  if (!Number.isInteger(runsAsked) || runsAsked < 1) throw new Error(`--runs ${opts.runs}: give a whole number of rounds, at least 1`);
  if (opts.tabulate) {
    const { runs, errors } = collect(resolve(opts.tabulate));
    console.log(formatStabilityTable(stabilityRows(runs), errors, runsAsked));
    return;
  }
  const known = (await scenarioFiles()).map((f) => basename(f, '.ts'));
  const scenarios = list(opts.scenarios).length ? list(opts.scenarios) : known;
  const unknown = scenarios.filter((s) => !known.includes(s));
  if (unknown.length) throw new Error(`--scenarios: no scenario ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = resolve(opts.out ?? join(PROJECT_ROOT, 'reports', 'out', 'bench-stability', stamp));
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'about.json'), JSON.stringify({ commit: gitHead(), startedAt: new Date().toISOString(), runs: runsAsked, scenarios, variants: opts.variants }, null, 2));
  const session = process.env.HARNESS_SESSION_ID ?? `bench-stability-${process.pid}`;
  const env = { ...process.env, HARNESS_SESSION_ID: session };
  console.error(`bench:stability: ${runsAsked} round(s) of ${scenarios.length} scenario(s), --variant ${opts.variants}; runs under ${out}`);

  for (let round = 1; round <= runsAsked; round++) {
    const roundDir = join(out, `round-${String(round).padStart(2, '0')}`);
    for (const scenario of scenarios) {
      const started = performance.now();
      let error: string | undefined;
      try {
        const [cmd, args] = cliCommand(opts.lock, ['run', scenario, '--variant', opts.variants, '--json', '--out', roundDir]);
        const { code, stdout } = await runCommand(cmd, args, env);
        const dirs = runDirsOf(stdout);
        // Exit 2 is a usage or set-up error (or a variant that could not run): no verdict to count.
        if (code === 2 || dirs.length === 0) error = `harness run exited ${code} with ${dirs.length} verdict(s)`;
      } catch (err) {
        error = (err as Error).message.split('\n')[0];
      } finally {
        const [dcmd, dargs] = cliCommand(opts.lock, ['down', '--session', session]);
        await runCommand(dcmd, dargs, env).catch(() => undefined);
      }
      if (error !== undefined) appendFileSync(join(out, 'errors.ndjson'), `${JSON.stringify({ scenario, round, error } satisfies StabilityError)}\n`);
      console.error(`bench:stability: round ${round} ${scenario}: ${error ?? 'done'} (${Math.round((performance.now() - started) / 1000)} s)`);
    }
    const { runs, errors } = collect(out);
    await writeFile(join(out, 'stability-table.md'), `${formatStabilityTable(stabilityRows(runs), errors, runsAsked)}\n`);
  }
  const { runs, errors } = collect(out);
  console.log(formatStabilityTable(stabilityRows(runs), errors, runsAsked));
  console.error(`bench:stability: table in ${join(out, 'stability-table.md')}`);
}

main().catch((err: Error) => {
  console.error(`bench:stability: ${err.message}`);
  process.exitCode = 2;
});
