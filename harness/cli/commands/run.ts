import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { writeCombinedReports } from '../../report/combined-report.ts';
import { BaselineError, findDrift, formatDrift, loadBaseline, parseDriftShare, type Drift } from '../../report/drift.ts';
import type { RunReport } from '../../report/report-data.ts';
import { formatRunTable, writeRunIndex, type RunIndexRow } from '../../report/run-index.ts';
import { appendTrend, readTrend, trendEntries, trendSeries } from '../../report/trend.ts';
import { InterruptedError } from '../../platform/creation-gate.ts';
import { phaseHook } from '../../platform/phase-hook.ts';
import { preflight } from '../../run/preflight.ts';
import { planMarginGates, parseMinMargin, type MarginGate } from '../../margin/min-margin.ts';
import { runMarginGate } from '../../margin/run-margin-gate.ts';
import { runAndReport } from '../../run/run-and-report.ts';
import { loadNamedScenarios, loadScenarioFolder, resolveScenarioArg, scenariosDir } from '../../scenario/scenario-files.ts';
import { selectVariants } from '../../scenario/resolve.ts';
import type { ResolvedScenario } from '../../scenario/scenario-schema.ts';
import { EXIT, exitCodeFor } from '../../platform/exit-codes.ts';
import type { VariantVerdict } from '../../verdict/types.ts';
import { checkBeforeStart, guardRun, printDryRun } from '../run-guard.ts';
import type { CheckedPlan } from '../../plan/plan-runs.ts';
import { fitToServer } from '../../plan/server-fit.ts';
import { parseLoadInstances, withLoadInstances } from '../../plan/k6-runs.ts';
import { writeServerMatrix, type MatrixCell } from '../../report/server-matrix.ts';
import { makeRunId } from '../../run/run-variant.ts';
import { prepareServer, type PreparedServer } from '../../servers/prepare.ts';
import type { ServerProfile } from '../../servers/profile.ts';
import { parseServerList } from '../../servers/registry.ts';
import { OptionError } from '../../platform/option-error.ts';

/** Run directories go under reports/out of the project the command runs in. */
export const DEFAULT_OUT = 'reports/out';

export interface RunOpts {
  all?: boolean;
  variant: string;
  seed?: string;
  out: string;
  json?: boolean;
  dryRun?: boolean;
  compareTo?: string;
  driftShare?: string;
  failOnDrift?: boolean;
  minMargin?: string;
  marginAxis?: string;
  server: string;
  loadInstances?: string;
}

/** One variant on one server: the plan to run (fitted to the server), or why it does not apply. */
interface ServerJob {
  plan: ResolvedScenario;
  server: ServerProfile;
  notApplicable?: string;
}

/** What `run` settled before anything starts. */
export interface PlannedRun {
  jobs: ServerJob[];
  runnable: ServerJob[];
  plans: ResolvedScenario[];
  gates: MarginGate[];
  checked: CheckedPlan[];
  servers: ServerProfile[];
  baseline: ReturnType<typeof loadBaseline> | undefined;
  driftShare: number;
  seed: number | undefined;
  log: (line: string) => void;
}

/**
 * Everything `run` does before its first container: load the named scenarios, select and fit their
 * variants, plan and check them (bounds, references, --out). Throws naming the problem and its fix;
 * undefined after a usage message. The test of the malformed fixtures calls it in-process too.
 */
export async function planRun(names: string[], opts: RunOpts): Promise<PlannedRun | undefined> {
  if (!opts.all && names.length === 0) {
    console.error('harness run: name a scenario or pass --all (see `harness list`)');
    return undefined;
  }
  const { scenarios, helpers } = opts.all ? await loadScenarioFolder() : await loadNamedScenarios(await Promise.all(names.map(resolveScenarioArg)));
  if (helpers.length > 0) console.error(`harness: not scenarios (no scenario as their default export), skipped: ${helpers.join(', ')}`);
  if (scenarios.length === 0) {
    console.error(`harness run --all: there are no scenarios in ${relative(process.cwd(), scenariosDir()) || '.'}/ yet (\`harness new <id>\` writes one)`);
    return undefined;
  }
  // The baseline is read before anything starts: a wrong path fails here, not after the replay.
  const driftShare = parseDriftShare(opts.driftShare);
  if (opts.failOnDrift && !opts.compareTo) throw new BaselineError('--fail-on-drift needs --compare-to <run-dir|baseline.json> to compare with');
  const baseline = opts.compareTo ? loadBaseline(resolve(opts.compareTo)) : undefined;
  const seed = opts.seed === undefined ? undefined : Number(opts.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new OptionError(`--seed ${opts.seed}: expected an integer`);
  const loadInstances = parseLoadInstances(opts.loadInstances);
  const selected: ResolvedScenario[] = scenarios.flatMap((s) => selectVariants(s, opts.variant)).map((v) => (loadInstances === undefined ? v : withLoadInstances(v, loadInstances)));
  const servers = parseServerList(opts.server);
  await phaseHook('plan');
  const log = opts.json ? (l: string) => console.error(l) : (l: string) => console.log(l);
  // Each variant on each server, fitted to what the server can do before anything starts.
  const jobs: ServerJob[] = selected.flatMap((plan) =>
    servers.map((server): ServerJob => {
      if (server.name === 'sut') return { plan, server };
      const fit = fitToServer(plan, server);
      if (!fit.applicable) return { plan, server, notApplicable: fit.reasons.join('; ') };
      for (const note of fit.notes) log(`  ${plan.id}/${plan.variant} on ${server.name}: ${note}`);
      return { plan: fit.scenario, server };
    }),
  );
  for (const j of jobs) if (j.notApplicable) log(`– ${j.plan.id}/${j.plan.variant} on ${j.server.name}: not applicable: ${j.notApplicable}`);
  const runnable = jobs.filter((j) => !j.notApplicable);
  if (runnable.length === 0) throw new OptionError(`nothing to run: no selected variant applies on ${servers.map((s) => s.name).join(', ')} (reasons above)`);
  const plans = runnable.map((j) => j.plan);
  if (opts.minMargin !== undefined && servers.some((s) => s.name !== 'sut')) throw new OptionError('--min-margin runs on our own server only; drop --server or --min-margin');
  const gates = opts.minMargin === undefined ? [] : planMarginGates(plans, parseMinMargin(opts.minMargin), opts.marginAxis);
  // Plan, then check, then start (harness/plan): bounds, references and --out, before any container.
  const checked = checkBeforeStart([...plans, ...gates.map((g) => g.plan)], resolve(opts.out));
  return { jobs, runnable, plans, gates, checked, servers, baseline, driftShare, seed, log };
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('replay scenarios in containers under load and judge them against their SLOs')
    .argument('[scenarios...]', 'scenario ids (see `harness list`) or file paths')
    .option('--all', 'every scenario in scenarios/ (or $HARNESS_SCENARIOS_DIR)')
    .option('--variant <name>', 'incident | remediated | both (incident, remediated) | at-scale (incident-at-scale, remediated-at-scale) | all (every variant but the at-scale ones) | another variant name', 'both')
    .option('--seed <n>', 'seed for the timeline and client schedule (default: the scenario\'s)')
    .option('--out <dir>', 'where run directories go', DEFAULT_OUT)
    .option('--json', 'print one JSON summary line per variant instead of text')
    .option('--dry-run', 'print the run plan and its checks; start nothing')
    .option('--compare-to <path>', 'warn when an SLO moved towards its threshold since this baseline: a run directory, an output folder of runs, a summary.json or a trend.ndjson')
    .option('--drift-share <share>', 'with --compare-to: the share of the margin to the threshold an SLO may use up before a warning (0..1)', '0.25')
    .option('--fail-on-drift', 'with --compare-to: exit 1 when any SLO drifted (otherwise drift only warns)')
    .option('--min-margin <k>', 'also run each variant once at factor k of its stress axes (incidents at 1/k): it must still meet its expectation there')
    .option('--margin-axis <name>', 'with --min-margin: only this axis')
    .option('--load-instances <n>', 'run every k6 load (load.k6[], load.publish) as n k6 processes with execution segments: the same total load, each process with its own open-file limit')
    .option('--server <names>', 'the server(s) the pods run, comma-separated: sut (ours), sockudo (docs/servers.md); with more than one, reports/out/matrix.md compares them', 'sut')
    .action(guardRun(async (names: string[], opts: RunOpts) => {
      const planned = await planRun(names, opts);
      if (!planned) {
        process.exitCode = EXIT.usage;
        return;
      }
      const { jobs, runnable, plans, gates, checked, servers, baseline, driftShare, seed, log } = planned;
      if (opts.dryRun) return printDryRun(checked, resolve(opts.out), log);
      const images = await preflight([...plans, ...gates.map((g) => g.plan)]);
      const prepared = new Map<string, PreparedServer>();
      for (const server of new Set(runnable.map((j) => j.server))) if (server.name !== 'sut') prepared.set(server.name, await prepareServer(server, log));
      const cells: MatrixCell[] = jobs.filter((j) => j.notApplicable).map((j) => ({ scenario: j.plan.id, variant: j.plan.variant, server: j.server.name, notApplicable: j.notApplicable! }));

      const verdicts: VariantVerdict[] = [];
      const rows: RunIndexRow[] = [];
      const written: { report: RunReport; runDir: string }[] = [];
      const drift: Drift[] = [];
      const startedAt = new Date().toISOString();
      for (const { plan, server } of runnable) {
        const on = server.name === 'sut' ? '' : ` on ${server.name}`;
        const cell = (row: RunIndexRow) => cells.push({ scenario: plan.id, variant: plan.variant, server: server.name, row: { ...row, variant: plan.variant } });
        try {
          const runServer = prepared.get(server.name);
          const runId = runServer ? makeRunId(plan).replace(`${plan.id}-${plan.variant}-`, `${plan.id}-${plan.variant}-${server.name}-`) : undefined;
          const { run, judgement, written: out } = await runAndReport(plan, { images, outRoot: resolve(opts.out), seed, log, ...(runServer ? { server: runServer, runId } : {}) });
          // The trend, the drift against a baseline and the side-by-side report follow our server's
          // variants; another server's runs would mix into them (the matrix compares servers).
          if (!runServer) {
            written.push({ report: out.report, runDir: run.runDir });
            await appendTrend(resolve(opts.out), out.report);
            if (baseline && !baseline.has(`${plan.id}/${plan.variant}`)) log(`  no baseline for ${plan.id}/${plan.variant} in ${opts.compareTo}: its drift is not checked`);
            if (baseline) drift.push(...findDrift(baseline, trendEntries(out.report), driftShare));
          }
          verdicts.push(judgement.verdict);
          const v = judgement.verdict;
          const row = { scenario: plan.id, variant: `${plan.variant}${on}`, status: v.status, met: v.met, runDir: run.runDir, error: undefined, unfinished: judgement.incomplete };
          rows.push(row);
          cell(row);
          if (opts.json) console.log(JSON.stringify({ scenario: plan.id, variant: plan.variant, server: server.name, status: v.status, met: v.met, runDir: run.runDir }));
          else {
            log(`${v.met ? '✔' : '✘'} ${plan.id}/${plan.variant}${on}: ${v.status}${v.met ? '' : ' (expectation not met)'}`);
            for (const r of v.reasons) log(`    ${r}`);
            log(`  report: ${out.html}`);
          }
        } catch (err) {
          // One variant that could not run must not hide the others' verdicts: record it, go on.
          if ((plans.length === 1 && cells.length === 0) || err instanceof InterruptedError) throw err;
          const message = (err as Error).message.split('\n')[0]!;
          log(`✘ ${plan.id}/${plan.variant}${on}: could not run: ${message}`);
          const row = { scenario: plan.id, variant: `${plan.variant}${on}`, status: 'error', met: false, runDir: undefined, error: message };
          rows.push(row);
          cell(row);
        }
      }
      for (const gate of gates) {
        const { verdict, row } = await runMarginGate(gate, { images, outRoot: resolve(opts.out), seed, log });
        verdicts.push(verdict);
        rows.push(row);
        if (opts.json) console.log(JSON.stringify({ scenario: row.scenario, variant: row.variant, status: row.status, met: row.met, runDir: row.runDir }));
      }
      const combined = await writeCombinedReports(written, (runDir) => dirname(runDir));
      for (const file of combined.values()) log(`combined report: ${file}`);
      if (baseline) {
        log(drift.length ? `\n⚠ drift towards a threshold since ${opts.compareTo} (more than ${Math.round(driftShare * 100)}% of the margin):` : `no SLO drifted more than ${Math.round(driftShare * 100)}% of its margin since ${opts.compareTo}`);
        for (const d of drift) log(`  ${formatDrift(d)}`);
      }
      if (plans.length + gates.length > 1) {
        log(`\n${formatRunTable(rows)}`);
        const trend = await readTrend(resolve(opts.out));
        const ran = new Set(rows.map((r) => `${r.scenario}/${r.variant}`));
        const series = trendSeries(trend.entries, (e) => ran.has(`${e.scenario}/${e.variant}`));
        log(`index: ${await writeRunIndex(resolve(opts.out), rows, startedAt, { combined, series, drift })}`);
      }
      if (servers.length > 1 || servers[0]!.name !== 'sut') log(`server matrix: ${await writeServerMatrix(resolve(opts.out), cells, startedAt, servers.map((s) => s.name))}`);
      const errored = rows.some((r) => r.error !== undefined);
      const code = errored ? EXIT.usage : exitCodeFor(verdicts);
      process.exitCode = code === EXIT.ok && opts.failOnDrift && drift.length > 0 ? EXIT.expectationNotMet : code;
    }));
}
