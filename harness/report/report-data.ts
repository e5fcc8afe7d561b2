import type { VariantJudgement } from '../verdict/judge.ts';
import { exitCodeFor } from '../platform/exit-codes.ts';
import { buildCharts, type Chart } from './charts.ts';
import { narrate } from './narrative.ts';
import { SUMMARY_SCHEMA_VERSION, type Summary, type VariantSummary } from './summary-schema.ts';

// Everything a reporter renders, computed once from the judgements: the summary (what summary.json
// holds) plus, per variant, the chart series and the marks to draw on them.

export interface Mark {
  /** Its number on the charts and in the legend below them: marks in time order, from 1. */
  n: number;
  /** Replay second. */
  t: number;
  label: string;
  kind: 'action' | 'action-failed' | 'alert' | 'fault' | 'phase';
}

/**
 * The vertical lines drawn on every chart of a variant, numbered in time order: a busy timeline (a
 * dozen actions in 5 s) carries numbers on the chart and the words in the legend, so labels never
 * sit on top of each other. Built from the summary, so a saved summary.json gives the same marks.
 */
export function buildMarks(v: Pick<VariantSummary, 'actions' | 'detections' | 'alerts'>, teardownS: number | null): Mark[] {
  return [
    ...v.actions.map((a) => ({ t: a.appliedAtS ?? a.failedAtS ?? a.startedAtS ?? a.at, label: `#${a.index + 1} ${a.label}`, kind: a.failedAtS !== null ? ('action-failed' as const) : ('action' as const) })),
    ...v.detections.filter((d) => d.faultAtS !== null).map((d) => ({ t: d.faultAtS!, label: `fault (${d.slo})`, kind: 'fault' as const })),
    ...v.alerts.map((f) => ({ t: f.firedAtS, label: `alert: ${f.alert}`, kind: 'alert' as const })),
    // After this line the harness is stopping things: what the charts show there is not judged.
    ...(teardownS === null ? [] : [{ t: teardownS, label: 'tear-down (not judged)', kind: 'phase' as const }]),
  ]
    .sort((a, b) => a.t - b.t)
    .map((m, i) => ({ n: i + 1, ...m }));
}

export interface VariantReport extends VariantSummary {
  charts: Chart[];
  marks: Mark[];
}

export interface RunReport extends Omit<Summary, 'variants'> {
  variants: VariantReport[];
}

/** The largest value of a per-second series; null when it has none. */
function peakOf(values: readonly (number | null)[]): number | null {
  let peak: number | null = null;
  for (const v of values) if (v !== null && (peak === null || v > peak)) peak = v;
  return peak;
}

const sec = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms) / 1000);

export function buildVariantReport(j: VariantJudgement): VariantReport {
  const sc = j.scenario;
  const o = j.observation;
  const actions = o.actions.map((a) => ({
    index: a.index,
    type: a.action,
    target: a.target,
    // The plan is the authority on when an action was meant to run; the history on when it did.
    at: sc.timeline[a.index]?.at ?? a.at,
    label: sc.timeline[a.index]?.label ?? `${a.action} ${a.target}`,
    startedAtS: sec(a.startedMs),
    appliedAtS: sec(a.appliedMs),
    failedAtS: sec(a.failedMs),
    error: a.error ?? null,
    evidence: a.evidence ?? null,
  }));
  const summary: Omit<VariantSummary, 'narrative'> = {
    variant: sc.variant,
    description: sc.variantDescription ?? null,
    seed: o.meta?.seed ?? sc.seed,
    startedAt: o.meta?.startedAt ?? null,
    durationS: o.metrics.durationS,
    replayS: o.replayS,
    events: o.events,
    peakConnections: peakOf(o.metrics.gauge('connections').slice(0, Math.ceil(o.replayS))),
    expectation: sc.expectation,
    verdict: { status: j.verdict.status, met: j.verdict.met, reasons: j.verdict.reasons, unexpectedBreaches: j.verdict.unexpectedBreaches, evidenceGaps: j.verdict.evidenceGaps ?? [] },
    slos: j.slos.map((s) => ({ ...s, window: s.window ?? null })),
    alerts: j.firings.map((f) => ({ ...f, subject: f.subject ?? null })),
    detections: j.detections,
    actions,
    delivery: o.delivery.map((d) => ({ ...d, deployment: d.deployment ?? null })),
    rest: o.rest,
    webhooks: o.webhooks,
    logs: o.logs.slice(0, 100).map((l) => ({ ...l, tag: l.tag ?? null })),
    evidence: o.evidence,
    warnings: j.warnings,
    // Default delivery checks the scenario chose not to judge, each with its reason (semantic-checks.ts).
    exempt: sc.semantics.exempt,
  };
  const teardown = o.phases.find((p) => p.phase === 'teardown');
  return { ...summary, narrative: narrate(summary), charts: buildCharts(o, sc.slos), marks: buildMarks(summary, teardown ? teardown.t / 1000 : null) };
}

/** A saved summary.json as a report to render again: no chart series (they need the history). */
export function reportFromSummary(summary: Summary): RunReport {
  return { ...summary, variants: summary.variants.map((v) => ({ ...v, narrative: narrate(v), charts: [], marks: buildMarks(v, v.replayS) })) };
}

/**
 * `unfinished` names why the run did not finish when the caller knows more than the history (a
 * `.partial` run directory); otherwise the first incomplete history's reason is used.
 */
export function buildRunReport(runId: string, judgements: readonly VariantJudgement[], now: Date = new Date(), unfinished?: string): RunReport {
  const first = judgements[0];
  if (!first) throw new Error('buildRunReport needs at least one judged variant');
  const sc = first.scenario;
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    runId,
    generatedAt: now.toISOString(),
    scenario: { id: sc.id, title: sc.title, postmortem: sc.postmortem, summary: sc.summary, file: sc.file ?? null },
    exitCode: exitCodeFor(judgements.map((j) => j.verdict)) as 0 | 1 | 2,
    unfinished: unfinished ?? judgements.find((j) => j.incomplete)?.incomplete ?? null,
    variants: judgements.map(buildVariantReport),
  };
}

/** The summary.json view: the report without chart series. */
export function toSummary(report: RunReport): Summary {
  return { ...report, variants: report.variants.map(({ charts: _c, marks: _m, ...v }) => v) };
}
