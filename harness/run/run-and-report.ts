import { readHistoryFile } from '../history/ndjson.ts';
import type { ImageName } from '../platform/images.ts';
import { phaseHook } from '../platform/phase-hook.ts';
import { writeRunReports, type WrittenReports } from '../report/write-run-reports.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { judgeVariant, type VariantJudgement } from '../verdict/judge.ts';
import { makeRunId, runVariant, type CompletedRun, type RunServer } from './run-variant.ts';
import { Teardown, teardownOnExit } from '../platform/teardown.ts';

// One variant as a normal run: replay, judge from the history, write its reports, and tear down
// whatever happens. `harness run` does this per variant; `harness margin` per point of its search.

export interface RunAndReportOptions {
  images: Record<ImageName, string>;
  outRoot: string;
  seed: number | undefined;
  log: (line: string) => void;
  /** Default: `<scenario>-<variant>-<time>`. */
  runId?: string;
  /** The server the pods run; default our own. */
  server?: RunServer;
}

export interface ReportedRun {
  run: CompletedRun;
  judgement: VariantJudgement;
  written: WrittenReports;
}

export async function runAndReport(plan: ResolvedScenario, opts: RunAndReportOptions): Promise<ReportedRun> {
  const runId = opts.runId ?? makeRunId(plan);
  const teardown = new Teardown(runId);
  const release = teardownOnExit(teardown);
  try {
    const run = await runVariant(plan, runId, { images: opts.images, outRoot: opts.outRoot, seed: opts.seed, log: opts.log, teardown, server: opts.server });
    await phaseHook('judge');
    const judgement = await judgeVariant(plan, readHistoryFile(run.historyFile));
    await phaseHook('report');
    const written = await writeRunReports(run, judgement);
    return { run, judgement, written };
  } finally {
    const errors = await teardown.run();
    for (const e of errors) opts.log(`  cleanup: ${e}`);
    release();
  }
}
