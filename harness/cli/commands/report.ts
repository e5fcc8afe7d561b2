import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { HISTORY_FILE } from '../../history/ndjson.ts';
import { readRunMeta } from '../../history/run-meta.ts';
import { writeCombinedReports } from '../../report/combined-report.ts';
import { rejudgeRun } from '../../report/rejudge-run.ts';
import type { RunReport } from '../../report/report-data.ts';
import { loadScenarios, resolveScenarioArg } from '../../scenario/scenario-files.ts';
import { readSavedScenario, SCENARIO_FILE } from '../../plan/saved-scenario.ts';
import { clearInterrupted } from '../../platform/run-dir-marker.ts';
import { resolveVariant } from '../../scenario/resolve.ts';
import { EXIT, exitCodeFor } from '../../platform/exit-codes.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('re-judge a saved run from its history and re-render its reports (nothing is re-run)')
    .argument('<run-dirs...>', 'run directories under reports/out/<scenario>/; two variants of one scenario also get its combined report')
    .option('--scenario <file>', 'judge with this scenario file instead of scenarios/<id>.ts (e.g. after changing an SLO)')
    .action(async (dirs: string[], opts: { scenario?: string }) => {
      const missing = dirs.filter((d) => !existsSync(join(resolve(d), HISTORY_FILE)));
      if (missing.length) {
        for (const d of missing) console.error(`harness report: ${join(d, HISTORY_FILE)} not found: expected a run directory written by \`harness run\``);
        process.exitCode = EXIT.usage;
        return;
      }
      const met: boolean[] = [];
      const written: { report: RunReport; runDir: string }[] = [];
      for (const dir of dirs) {
        const runDir = resolve(dir);
        const historyFile = join(runDir, HISTORY_FILE);
        const meta = await readRunMeta(historyFile);
        if (!meta) throw new Error(`${historyFile}: no run.meta event: not a harness history`);
        // By default the plan the run executed (saved beside the history); --scenario judges with a file.
        const plan = opts.scenario
          ? resolveVariant((await loadScenarios([await resolveScenarioArg(opts.scenario)]))[0]!, meta.variant)
          : existsSync(join(runDir, SCENARIO_FILE))
            ? await readSavedScenario(runDir)
            : resolveVariant((await loadScenarios([await resolveScenarioArg(meta.scenarioId)]))[0]!, meta.variant);
        const { judgement, written: out, unfinished } = await rejudgeRun({ runId: meta.runId || basename(runDir), runDir }, plan);
        await clearInterrupted(runDir);
        written.push({ report: out.report, runDir });
        const v = judgement.verdict;
        met.push(v.met);
        console.log(`${v.met ? '✔' : '✘'} ${plan.id}/${plan.variant}: ${v.status}${unfinished ? ' (the run did not finish)' : ''}`);
        if (unfinished) console.log(`  the run did not finish: ${unfinished}`);
        for (const r of v.reasons) console.log(`    ${r}`);
        console.log(`  report: ${out.html}`);
      }
      for (const file of (await writeCombinedReports(written, (runDir) => dirname(runDir))).values()) console.log(`combined report: ${file}`);
      process.exitCode = exitCodeFor(met.map((m) => ({ met: m })));
    });
}
