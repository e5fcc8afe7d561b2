import type { HistoryEvent } from '../history/events.ts';
import type { HistoryStats } from '../history/history.ts';
import { evaluateAlerts, type AlertFiring } from '../metrics/alert-rules.ts';
import { observe, type FoldOptions, type Observation } from '../metrics/fold.ts';
import type { EventMatcher } from '../scenario/conditions.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { composeVariant } from './compose.ts';
import { faultsNotApplied, historyGap, withRunCoverage, withSignalCoverage } from './coverage.ts';
import { detect } from './detection.ts';
import { judgeSlo } from './slo.ts';
import type { Detection, SloResult, VariantVerdict } from './types.ts';

// From history to verdict for one variant: fold, evaluate alerts, judge each SLO, compose.

export interface VariantJudgement {
  scenario: ResolvedScenario;
  observation: Observation;
  firings: AlertFiring[];
  slos: SloResult[];
  detections: Detection[];
  verdict: VariantVerdict;
  /** Warnings that lowered confidence (e.g. events dropped by a full history budget). */
  warnings: string[];
  /** Set when the history does not cover the whole replay (no run.ended): the run did not finish. */
  incomplete: string | undefined;
}

/** What the fold must watch for this scenario: detection faults, recovery starts, the webhook deadline. */
export function foldOptionsFor(scenario: ResolvedScenario): FoldOptions {
  const matchers: EventMatcher[] = [];
  for (const s of scenario.slos) {
    if (s.kind === 'detection') matchers.push(s.fault);
    if (s.kind === 'recovery') matchers.push(s.from);
  }
  return { matchers, webhookDeadlineMs: scenario.topology.webhooks.deadlineS * 1000, durationS: scenario.durationS };
}

/** Judge an already folded observation (e.g. re-judging with a changed scenario). */
export function judgeObservation(scenario: ResolvedScenario, observation: Observation, stats?: Pick<HistoryStats, 'dropped'>): VariantJudgement {
  const firings = evaluateAlerts(scenario.alerts, observation.metrics);
  const warnings: string[] = [];
  const dropped = Object.entries(stats?.dropped ?? {}).filter(([, n]) => n > 0);
  let slos = withSignalCoverage(
    scenario.slos.map((s) => judgeSlo(s, observation, firings)),
    scenario,
    observation,
  );
  const incomplete = historyGap(scenario, observation);
  if (incomplete) {
    warnings.push(`${incomplete}: the run did not finish; passes are downgraded to unknown`);
    slos = downgradePasses(slos, incomplete);
  }
  if (dropped.length > 0) {
    const text = dropped.map(([type, n]) => `${n} ${type}`).join(', ');
    warnings.push(`history incomplete: ${text} events were dropped (budget full); passes are downgraded to unknown`);
    // A breach seen in part of the data is still a breach; a pass on partial data proves nothing.
    slos = slos.map((s) => (s.status === 'pass' ? { ...s, status: 'unknown' as const, detail: `${s.detail}; history incomplete (${text} dropped)` } : s));
  }
  const detections = scenario.slos.flatMap((s) => (s.kind === 'detection' ? [detect(s, observation, firings)] : []));
  const verdict = withRunCoverage(composeVariant(scenario.variant, scenario.expectation, slos), incomplete, faultsNotApplied(scenario, observation));
  return { scenario, observation, firings, slos, detections, verdict, warnings, incomplete };
}

const downgradePasses = (slos: readonly SloResult[], why: string): SloResult[] =>
  slos.map((s) => (s.status === 'pass' ? { ...s, status: 'unknown' as const, detail: `${s.detail}; ${why}` } : s));

/**
 * The same judgement for a run known not to have finished for a reason the history cannot show (its
 * directory is still `.partial`): unknown, never green. A history that is itself incomplete already is.
 */
export function asUnfinished(j: VariantJudgement, why: string): VariantJudgement {
  if (j.incomplete) return j;
  return {
    ...j,
    slos: downgradePasses(j.slos, why),
    warnings: [...j.warnings, `${why}: the run did not finish; passes are downgraded to unknown`],
    verdict: withRunCoverage(j.verdict, why, []),
    incomplete: why,
  };
}

/** Fold a history (in memory or streamed from NDJSON) and judge it. */
export async function judgeVariant(
  scenario: ResolvedScenario,
  events: Iterable<HistoryEvent> | AsyncIterable<HistoryEvent>,
  stats?: Pick<HistoryStats, 'dropped'>,
): Promise<VariantJudgement> {
  const observation = await observe(events, foldOptionsFor(scenario));
  return judgeObservation(scenario, observation, stats);
}
