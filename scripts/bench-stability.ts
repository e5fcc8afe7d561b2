/**
 * `npm run bench:stability`: the gate's false-alarm check. Replays every variant (`--variant all`:
 * the at-scale ones are left out unless asked for) of every scenario N times on the unmutated server,
 * round after round (a series cut short still has whole rounds), through the real CLI, and prints
 * per variant how many runs met their expectation and why the others did not.
 * Not part of `npm test`: one round is a full replay (about 16 minutes on 2 cores). Exit 1 when a run
 * missed its expectation or a replay gave no verdict, 2 on a usage error.
 *
 *   npm run bench:stability -- [--runs 10] [--scenarios connection-limit,oom-cascade] [--variants all]
 *                              [--lock /path/docker.lock] [--out DIR]
 *   npm run bench:stability -- --resume --out DIR               go on with a series cut short (Ctrl-C, a crash)
 *   npm run bench:stability -- --tabulate DIR [--runs 10]   the table again from the runs under DIR
 * Runs are kept as DIR/round-<r>/<scenario>/<run-id>/ (summary.json, report.html, history.ndjson);
 * DIR/about.json says what the series asked for and the commit(s) it ran; DIR/done.ndjson the replays
 * that finished; DIR/errors.ndjson those that gave no verdict. A replay cut short is moved to
 * DIR/interrupted/ when the series resumes, and replayed.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../harness/mutation/mutant-build.ts';
import { EXIT } from '../harness/platform/exit-codes.ts';
import { scenarioFiles } from '../harness/scenario/scenario-files.ts';
import { aboutSchema, collectSeries, readLines, roundDirName, type About } from '../harness/mutation/stability-series.ts';
import { formatStabilityTable, pendingReplays, stabilityRows, type SeriesReplay, type StabilityError } from '../harness/mutation/stability-table.ts';
import { cliCommand, list, runCommand, runDirsOf } from './lib/harness-cli.ts';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string' },
    scenarios: { type: 'string' },
    variants: { type: 'string' },
    lock: { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'boolean', default: false },
    tabulate: { type: 'string' },
  },
});

const DEFAULT_RUNS = 10;

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
  const runsAsked = opts.runs === undefined ? undefined : Number(opts.runs);
  if (runsAsked !== undefined && (!Number.isInteger(runsAsked) || runsAsked < 1)) throw new Error(`--runs ${opts.runs}: give a whole number of rounds, at least 1`);
  if (opts.tabulate) {
    const dir = resolve(opts.tabulate);
    const saved = existsSync(join(dir, 'about.json')) ? aboutSchema.parse(JSON.parse(readFileSync(join(dir, 'about.json'), 'utf8'))).runs : undefined;
    const { runs, errors } = collectSeries(dir);
    console.log(formatStabilityTable(stabilityRows(runs), errors, runsAsked ?? saved ?? DEFAULT_RUNS));
    return;
  }
  const known = (await scenarioFiles()).map((f) => basename(f, '.ts'));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = resolve(opts.out ?? join(PROJECT_ROOT, 'reports', 'out', 'bench-stability', stamp));
  const aboutFile = join(out, 'about.json');
  let about: About;
  if (opts.resume) {
    if (!opts.out) throw new Error('--resume needs --out DIR: the folder of the series to go on with');
    if (!existsSync(aboutFile)) throw new Error(`--resume: ${aboutFile} not found: ${out} holds no series (start one without --resume)`);
    about = aboutSchema.parse(JSON.parse(readFileSync(aboutFile, 'utf8')));
    const asked = { runs: runsAsked ?? about.runs, scenarios: list(opts.scenarios).length ? list(opts.scenarios) : about.scenarios, variants: opts.variants ?? about.variants };
    if (asked.runs !== about.runs || asked.scenarios.join() !== about.scenarios.join() || asked.variants !== about.variants) {
      throw new Error(`--resume: the series in ${out} asked for --runs ${about.runs} --scenarios ${about.scenarios.join(',')} --variants ${about.variants}; resume it as it was, or start another with another --out`);
    }
    about.resumed.push({ at: new Date().toISOString(), commit: gitHead() });
  } else {
    if (existsSync(aboutFile)) throw new Error(`${out} holds a series already: --resume to go on with it, or another --out`);
    const scenarios = list(opts.scenarios).length ? list(opts.scenarios) : known;
    about = { commit: gitHead(), startedAt: new Date().toISOString(), runs: runsAsked ?? DEFAULT_RUNS, scenarios, variants: opts.variants ?? 'all', resumed: [] };
  }
  const unknown = about.scenarios.filter((s) => !known.includes(s));
  if (unknown.length) throw new Error(`--scenarios: no scenario ${unknown.join(', ')}; known: ${known.join(', ')}`);
  await mkdir(out, { recursive: true });
  await writeFile(aboutFile, JSON.stringify(about, null, 2));
  const session = process.env.HARNESS_SESSION_ID ?? `bench-stability-${process.pid}`;
  const env = { ...process.env, HARNESS_SESSION_ID: session };
  const doneFile = join(out, 'done.ndjson');
  const done = readLines<SeriesReplay>(doneFile);
  const pending = pendingReplays(about.runs, about.scenarios, done);
  // An error written by a replay that never finished belongs to a replay that runs again.
  const errorsFile = join(out, 'errors.ndjson');
  const finished = new Set(done.map((d) => `${d.round}/${d.scenario}`));
  const kept = readLines<StabilityError>(errorsFile).filter((e) => finished.has(`${e.round}/${e.scenario}`));
  if (existsSync(errorsFile)) await writeFile(errorsFile, kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
  console.error(`bench:stability: ${about.runs} round(s) of ${about.scenarios.length} scenario(s), --variant ${about.variants}: ${pending.length} replay(s) to go; runs under ${out}`);

  for (const [i, { round, scenario }] of pending.entries()) {
    const roundDir = join(out, roundDirName(round));
    // What a replay cut short left is kept aside, not counted: the replay starts again.
    if (existsSync(join(roundDir, scenario))) {
      await mkdir(join(out, 'interrupted'), { recursive: true });
      renameSync(join(roundDir, scenario), join(out, 'interrupted', `${roundDirName(round)}-${scenario}-${stamp}`));
    }
    const started = performance.now();
    let error: string | undefined;
    try {
      const [cmd, args] = cliCommand(opts.lock, ['run', scenario, '--variant', about.variants, '--json', '--out', roundDir]);
      const { code, stdout } = await runCommand(cmd, args, env);
      // The replay was interrupted (Ctrl-C, SIGTERM): the series stops there, and --resume runs it again.
      if (code === EXIT.SIGINT || code === EXIT.SIGTERM) throw new SeriesInterrupted(`round ${round} ${scenario} was interrupted (exit ${code}): go on with --resume --out ${out}`);
      const dirs = runDirsOf(stdout);
      // Exit 2 is a usage or set-up error (or a variant that could not run): no verdict to count.
      if (code === 2 || dirs.length === 0) error = `harness run exited ${code} with ${dirs.length} verdict(s)`;
    } catch (err) {
      if (err instanceof SeriesInterrupted) throw err;
      error = (err as Error).message.split('\n')[0];
    } finally {
      const [dcmd, dargs] = cliCommand(opts.lock, ['down', '--session', session]);
      await runCommand(dcmd, dargs, env).catch(() => undefined);
    }
    if (error !== undefined) appendFileSync(errorsFile, `${JSON.stringify({ scenario, round, error } satisfies StabilityError)}\n`);
    appendFileSync(doneFile, `${JSON.stringify({ round, scenario } satisfies SeriesReplay)}\n`);
    console.error(`bench:stability: round ${round} ${scenario}: ${error ?? 'done'} (${Math.round((performance.now() - started) / 1000)} s)`);
    if (pending[i + 1]?.round !== round) {
      const { runs, errors } = collectSeries(out);
      await writeFile(join(out, 'stability-table.md'), `${formatStabilityTable(stabilityRows(runs), errors, about.runs)}\n`);
    }
  }
  const { runs, errors } = collectSeries(out);
  const rows = stabilityRows(runs);
  console.log(formatStabilityTable(rows, errors, about.runs));
  console.error(`bench:stability: table in ${join(out, 'stability-table.md')}`);
  // A nightly job can gate on it: exit 1 on any false alarm or replay without a verdict.
  if (errors.length > 0 || rows.some((r) => r.met < r.runs)) process.exitCode = 1;
}

class SeriesInterrupted extends Error {}

main().catch((err: Error) => {
  console.error(`bench:stability: ${err.message}`);
  process.exitCode = 2;
});
