import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { committedModelFor } from '../../capacity/sizing.ts';
import { capacityCrossCheck, retainedBytesOf } from '../../margin/capacity-cross-check.ts';
import { parseDuration } from '../../margin/duration.ts';
import { buildMarginReport } from '../../margin/margin-report.ts';
import { pointRunner } from '../../margin/point-runner.ts';
import { searchMargin } from '../../margin/search.ts';
import { writeMarginReport } from '../../margin/write-margin-report.ts';
import { preflight } from '../../run/preflight.ts';
import { loadScenarios, resolveScenarioArg } from '../../scenario/scenario-files.ts';
import { atFactor, findAxis } from '../../scenario/axes/apply-axis.ts';
import type { Axis } from '../../scenario/axes/registry.ts';
import { resolveVariant } from '../../scenario/resolve.ts';
import { EXIT } from '../../platform/exit-codes.ts';
import { checkBeforeStart, guardRun, printDryRun } from '../run-guard.ts';
import { DEFAULT_OUT } from './run.ts';
import { OptionError } from '../../platform/option-error.ts';

interface MarginOpts {
  variant: string;
  axis?: string;
  repeats: string;
  budget: string;
  seed?: string;
  out: string;
  dryRun?: boolean;
  range?: string;
}

/** Set-up, replay and tear-down on top of the replay itself, for the first run's estimate. */
const SETUP_ESTIMATE_S = 30;

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** `--range 1..3`: inside the declared range, or an error naming it. */
export function narrowRange(axis: Axis, text: string): { min: number; max: number } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\.\.\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  const [min, max] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(min > 0 && max > min)) throw new OptionError(`--range ${text}: expected min..max with 0 < min < max, e.g. 1..3`);
  if (min < axis.range.min || max > axis.range.max) throw new OptionError(`--range ${text}: outside axis ${axis.name}'s declared range ${axis.range.min}..${axis.range.max}; widen range in the scenario`);
  return { min, max };
}

export function registerMargin(program: Command): void {
  program
    .command('margin')
    .description('search a stress axis for how far a variant can be pushed before it stops meeting its expectation')
    .argument('<scenario>', 'scenario id (see `harness list`) or file path')
    .option('--variant <name>', 'remediated (largest factor that still holds) or incident (smallest factor that still reproduces), or another variant', 'remediated')
    .option('--axis <name>', "one of the variant's axes (default: each, sharing the budget)")
    .option('--repeats <n>', 'runs per factor; a factor is red when most of its runs are red', '3')
    .option('--budget <duration>', 'wall-time bound for the whole search, e.g. 20m', '20m')
    .option('--seed <n>', "seed for every run (default: the scenario's)")
    .option('--out <dir>', 'where the margin directory goes', join(DEFAULT_OUT, 'margin'))
    .option('--range <min..max>', "search only this part of the axis's declared range, e.g. 1..3")
    .option('--dry-run', 'check the variant at both ends of each axis and print the plans; start nothing')
    .action(guardRun(async (name: string, opts: MarginOpts) => {
      const repeats = Number(opts.repeats);
      if (!Number.isInteger(repeats) || repeats < 1) throw new OptionError(`--repeats ${opts.repeats}: expected a positive integer`);
      const budgetMs = parseDuration(opts.budget);
      const seed = opts.seed === undefined ? undefined : Number(opts.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new OptionError(`--seed ${opts.seed}: expected an integer`);
      const [scenario] = await loadScenarios([await resolveScenarioArg(name)]);
      const variant = resolveVariant(scenario!, opts.variant);
      // No axis named and none declared: findAxis says how to declare one.
      const declared = opts.axis ? [findAxis(variant, opts.axis)] : variant.axes.length ? variant.axes : [findAxis(variant, '')];
      const axes = opts.range === undefined ? declared : declared.map((a) => ({ ...a, range: narrowRange(a, opts.range!) }));
      const log = (l: string) => console.log(l);
      const started = new Date();
      const dirs = axes.map((a) => resolve(opts.out, `${variant.id}-${variant.variant}-${a.name}-${stamp(started)}`));
      // Plan, then check, then start: the variant at both ends of every axis must fit this machine.
      const ends = axes.flatMap((a) => [atFactor(variant, a, a.range.min), atFactor(variant, a, a.range.max)]);
      const checked = checkBeforeStart(ends, resolve(opts.out));
      if (opts.dryRun) return printDryRun(checked, resolve(opts.out), log);
      // Read before the first run: a broken or missing model is an error now, not after the search.
      // Each axis is checked against the model measured with its pods' per-connection memory.
      const models = axes.map((a) => (a.kind === 'clients' && a.sizedByModel ? committedModelFor(retainedBytesOf(variant, a.sizedByModel)) : undefined));
      const images = await preflight(ends);

      const command = `harness margin ${process.argv.slice(3).join(' ')}`.trim();
      let allComplete = true;
      const deadline = Date.now() + budgetMs;
      for (const [i, axis] of axes.entries()) {
        const axisBudget = (deadline - Date.now()) / (axes.length - i);
        const hold = !('breach' in variant.expectation);
        log(`margin: ${variant.id}/${variant.variant} along ${axis.name} ×${axis.range.min}..×${axis.range.max}, ${repeats} repeat(s) per factor, budget ${(axisBudget / 60_000).toFixed(1)} min`);
        const result = await searchMargin({
          range: axis.range,
          resolution: axis.resolution,
          repeats,
          metSide: hold ? 'low' : 'high',
          budgetMs: axisBudget,
          firstRunEstimateMs: (variant.durationS + SETUP_ESTIMATE_S) * 1000,
          now: Date.now,
          runPoint: pointRunner({ scenario: variant, axis, images, outRoot: join(dirs[i]!, 'runs'), seed, log }),
          onPoint: (p) => log(`● ×${p.factor}: ${p.verdict} (${p.runs.map((r) => r.result).join(', ') || 'not run'})`),
        });
        const model = models[i];
        const capacity =
          axis.kind === 'clients' && axis.sizedByModel && model
            ? capacityCrossCheck({ scenario: variant, deployment: axis.sizedByModel, model: model.committed, modelFile: relative(process.cwd(), model.file), measured: result })
            : null;
        const report = buildMarginReport({ scenario: variant, axis, result, repeats, budgetS: axisBudget / 1000, command, capacity });
        const files = await writeMarginReport(dirs[i]!, report);
        allComplete &&= result.complete;
        log(`${result.complete ? '✔' : '…'} ${variant.id}/${variant.variant} along ${axis.name}: ${report.statement}`);
        if (report.decisive?.slos[0]) log(`  ${report.decisive.kind === 'broke' ? 'first SLO to break' : 'first breach to go away'}: ${report.decisive.slos[0].id} at ×${report.decisive.factor}`);
        if (capacity) log(`  capacity model: ${capacity.statement}`);
        log(`  report: ${files.html}`);
      }
      // The margin is a measurement: exit 0 when each search finished, 1 when one is partial or undecided.
      process.exitCode = allComplete ? EXIT.ok : EXIT.expectationNotMet;
    }));
}
