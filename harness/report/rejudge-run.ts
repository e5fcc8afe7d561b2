import { join } from 'node:path';
import { HISTORY_FILE, readHistoryFile } from '../history/ndjson.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { asUnfinished, judgeVariant, type VariantJudgement } from '../verdict/judge.ts';
import { isPartialRunDir, PARTIAL_SUFFIX } from './run-rows.ts';
import { writeRunReports, type WrittenReports } from './write-run-reports.ts';

export interface RejudgedRun {
  judgement: VariantJudgement;
  written: WrittenReports;
  /** Why the run did not finish, as every output says it; undefined for a finished run. */
  unfinished: string | undefined;
}

/**
 * `harness report`: re-judge a saved history and re-render its reports beside it. A `.partial`
 * directory (a run interrupted or failed) and a history without run.ended are judged unknown and
 * every output says the run did not finish; a torn last line is named too.
 */
export async function rejudgeRun(run: { runDir: string; runId: string }, plan: ResolvedScenario): Promise<RejudgedRun> {
  let torn: number | undefined;
  let judgement = await judgeVariant(plan, readHistoryFile(join(run.runDir, HISTORY_FILE), { onTornTail: (n) => (torn = n) }));
  if (isPartialRunDir(run.runDir)) judgement = asUnfinished(judgement, `the run directory is still ${PARTIAL_SUFFIX}: the run was interrupted or failed`);
  const unfinished = [judgement.incomplete, torn !== undefined ? `its last line (${torn}) was cut mid-line` : undefined].filter(Boolean).join('; ') || undefined;
  const written = await writeRunReports(run, judgement, unfinished ? { unfinished } : {});
  return { judgement, written, unfinished };
}
