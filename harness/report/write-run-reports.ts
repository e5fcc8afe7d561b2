import path from 'node:path';
import type { VariantJudgement } from '../verdict/judge.ts';
import { DEFAULT_REPORTERS } from './index.ts';
import { buildRunReport, type RunReport } from './report-data.ts';
import { writeReports, type Reporter } from './reporter.ts';

export interface WrittenReports {
  summary: string;
  junit: string;
  html: string;
  markdown: string;
  openMetrics: string;
  /** Every file written, in reporter order. */
  files: string[];
  /** What was rendered (for the combined report and the trend). */
  report: RunReport;
}

/**
 * Write summary.json, junit.xml, report.html, summary.md and metrics.om into a run directory. Takes only what it
 * needs of the run (id and directory), so a saved run can be re-reported from its history alone.
 */
export async function writeRunReports(
  run: { runId: string; runDir: string },
  judgements: VariantJudgement | readonly VariantJudgement[],
  options: { reporters?: readonly Reporter[]; now?: Date; unfinished?: string } = {},
): Promise<WrittenReports> {
  const list = Array.isArray(judgements) ? (judgements as readonly VariantJudgement[]) : [judgements as VariantJudgement];
  const report = buildRunReport(run.runId, list, options.now, options.unfinished);
  const files = await writeReports(run.runDir, report, options.reporters ?? DEFAULT_REPORTERS);
  const at = (name: string) => path.join(run.runDir, name);
  return { summary: at('summary.json'), junit: at('junit.xml'), html: at('report.html'), markdown: at('summary.md'), openMetrics: at('metrics.om'), files, report };
}
