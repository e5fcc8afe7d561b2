import type { ActionRecord, Observation } from '../metrics/fold.ts';
import { matchesLabels } from '../metrics/series-store.ts';
import { EDGE } from '../metrics/labels.ts';
import type { SourceRecord } from '../metrics/sources.ts';
import { k6Processes } from '../scenario/k6-runs.ts';
import type { Labels } from '../scenario/conditions.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { Slo } from '../scenario/schema.ts';
import type { SloResult, VariantVerdict } from './types.ts';

// Unknown is a verdict (Jepsen): a pass counts only when the run saw enough to go red. Three things
// are checked here, apart from the SLO arithmetic:
// - the history covers the whole replay (its run.ended event, written last);
// - every signal source an SLO depends on was heard from throughout the window it judges;
// - every fault a hold-all variant must survive was seen to take effect (action.applied).
//
// Silence thresholds, measured on real replays (table and commands in reports/README.md, "What makes
// a verdict unknown"): delivery probes at 5/s sent every 200 ms, worst gap 348 ms (connection-limit,
// 480 clients); REST probes at 4-8/s worst gap 616 ms (keepalive-desync); the pod sampler ticked every
// 1 s, worst gap 1469 ms. A probe is silent after max(2 s, 4 send intervals) without a send: three
// times the worst measured gap, and still four missed sends for the slowest probe (2/s). The sampler
// is silent after 3 s, twice its worst gap and the gauges' own staleness limit. k6 ended 0.4 s after
// its planned 36 s; it is judged only for ending early, by more than 3 s. Webhook probes (one fresh
// client per tick) started a cycle every 500 ms at 2/s, worst gap 558 ms; at 1/s, worst 1076 ms.

export const PROBE_SILENCE_MIN_MS = 2000;
export const PROBE_SILENCE_INTERVALS = 4;
export const SAMPLER_SILENCE_MS = 3000;
/** k6 points are ingested from its JSON output in batches; a stream that ends earlier than this before its planned end ended early. */
export const K6_EARLY_END_MS = 3000;

const s1 = (ms: number) => (ms / 1000).toFixed(1);

/** `history incomplete (ends at t=…s of …s)` when the history lacks its closing run.ended event. */
export function historyGap(scenario: ResolvedScenario, obs: Observation): string | undefined {
  if (obs.ended) return undefined;
  return `history incomplete (ends at t=${s1(obs.endMs)}s of ${scenario.durationS}s)`;
}

/** Actions that heal, unlock or roll back, or that only wait: not faults a variant has to survive. */
const NOT_FAULTS = new Set(['wait.until', 'toxic.remove', 'proxy.enable', 'deploy.rollback', 'deploy.unlock']);

/** A gated action may be refused by its gate on purpose (that is the remediation); it proves nothing either way. */
function isExpectedFault(a: ResolvedScenario['timeline'][number]): boolean {
  if (NOT_FAULTS.has(a.type)) return false;
  const params = a.params as { gate?: unknown } | undefined;
  return params?.gate === undefined;
}

/** One line per fault of a hold-all variant that has no evidence of taking effect. */
export function faultsNotApplied(scenario: ResolvedScenario, obs: Observation): string[] {
  if (!('hold' in scenario.expectation)) return [];
  const byIndex = new Map<number, ActionRecord>(obs.actions.map((a) => [a.index, a]));
  const out: string[] = [];
  scenario.timeline.forEach((a, index) => {
    if (!isExpectedFault(a)) return;
    const r = byIndex.get(index);
    const name = `#${index} ${a.type} ${a.target} (planned at ${a.at} s)`;
    if (r?.failedMs !== undefined) out.push(`the fault never took effect: ${name} failed: ${r.error ?? 'no error recorded'}`);
    else if (r?.appliedMs === undefined) out.push(`the fault never took effect: ${name} has no action.applied`);
  });
  return out;
}

/** The metrics an SLO reads. */
function sloMetrics(slo: Slo): { metric: string; where: Labels | undefined }[] {
  switch (slo.kind) {
    case 'ratio':
      return [slo.numerator, slo.denominator].map((s) => ({ metric: s.metric, where: s.where }));
    case 'trend':
    case 'count':
    case 'gauge':
      return [{ metric: slo.metric, where: slo.where }];
    case 'gauge-trend':
      return [{ metric: slo.metric, where: slo.where }, ...(slo.holding ? [{ metric: slo.holding, where: slo.where }] : [])];
    case 'recovery':
      return slo.signal.kind === 'ratio'
        ? [slo.signal.numerator, slo.signal.denominator].map((s) => ({ metric: s.metric, where: s.where }))
        : [{ metric: slo.signal.metric, where: slo.signal.where }];
    case 'delivery':
      // The probe's own delivery stream: the sources are found by the metric family and the probe id.
      return [{ metric: `delivery.${slo.check}`, where: { probe: slo.probe, ...(slo.transport ? { transport: slo.transport } : {}) } }];
    case 'webhook':
      return [{ metric: `webhooks.${slo.check}`, where: { probe: slo.probe } }];
    default:
      // Limit checks carry their own evidence (limit.checked; none is unknown in limit.ts).
      // Detection reads alerts, which read the metrics above; its own evidence is the fault and the firing.
      return [];
  }
}

interface Expected {
  kind: SourceRecord['kind'];
  id: string;
  labels: Labels;
  /** Longest silence that still counts as observed. */
  silenceMs: number;
  /** Planned end of the source (ms), when it stops before the replay does. */
  plannedEndMs?: number;
}

const PROBE_KEYS = ['probe', 'transport', 'deployment'];
const pick = (where: Labels | undefined, keys: string[]): Labels | undefined =>
  where ? Object.fromEntries(Object.entries(where).filter(([k]) => keys.includes(k))) : undefined;

/**
 * The sources a metric's values come from, as the scenario declares them. `k6ByProcess`: the history
 * names the k6 process of its samples (k6.aggregate `processes`).
 */
function sourcesOf(scenario: ResolvedScenario, metric: string, where: Labels | undefined, k6ByProcess: boolean): Expected[] {
  const probeKind =
    metric.startsWith('delivery.') || metric.startsWith('messages.') ? 'delivery' : metric.startsWith('rest.') ? 'rest' : metric.startsWith('webhooks.') ? 'webhook' : undefined;
  if (probeKind) {
    return scenario.probes.flatMap((p) => {
      if (p.kind !== probeKind) return [];
      // The labels the probe's series carry (see delivery-checker, rest-checker and webhook-checker).
      const labels: Labels =
        p.kind === 'delivery'
          ? { probe: p.id, transport: p.transport, ...(p.deployment ? { deployment: p.deployment } : {}) }
          : p.kind === 'rest'
            ? { probe: p.id, deployment: p.deployment ?? EDGE }
            : { probe: p.id, transport: p.transport, deployment: p.deployment ?? EDGE };
      if (!matchesLabels(labels, pick(where, PROBE_KEYS))) return [];
      return [{ kind: 'probe' as const, id: p.id, labels, silenceMs: Math.max(PROBE_SILENCE_MIN_MS, (PROBE_SILENCE_INTERVALS * 1000) / p.ratePerS) }];
    });
  }
  if (metric === 'connections' || metric.startsWith('pod.') || metric.startsWith('pods.')) {
    return [{ kind: 'sampler', id: 'pods', labels: {}, silenceMs: SAMPLER_SILENCE_MS }];
  }
  if (metric.startsWith('k6.')) {
    const processes = k6Processes(scenario);
    if (processes.length === 0) return [];
    // Each process to its own run's end: one that dies is seen even while the others go on.
    if (k6ByProcess) return processes.map((p) => ({ kind: 'k6' as const, id: p.name, labels: {}, silenceMs: K6_EARLY_END_MS, plannedEndMs: p.plannedEndMs }));
    // A history recorded before processes were named: the stream as a whole, to the last planned end.
    return [{ kind: 'k6', id: 'k6', labels: {}, silenceMs: K6_EARLY_END_MS, plannedEndMs: Math.max(...processes.map((p) => p.plannedEndMs)) }];
  }
  return [];
}

function describe(src: Expected, fromMs: number, toMs: number): string {
  const span = `${s1(toMs - fromMs)} s (t=${s1(fromMs)}-${s1(toMs)} s)`;
  if (src.kind === 'probe') return `probe ${src.id} sent nothing for ${span}`;
  if (src.kind === 'sampler') return `the pod sampler stopped: no pod sample for ${span}`;
  if (src.id === 'k6') return `the k6 stream ended early: no k6 point for ${span}`;
  return `the k6 stream ended early: no point from k6 process ${src.id} for ${span}`;
}

/** The first silence of a source inside [fromMs, toMs) longer than it may be, in words. */
function silenceIn(src: Expected, rec: SourceRecord | undefined, fromMs: number, toMs: number): string | undefined {
  if (src.kind === 'k6') {
    // k6 points come in bursts (per iteration, per flush): only an early end is judged.
    const end = Math.min(toMs, src.plannedEndMs ?? toMs);
    const last = rec?.lastMs ?? fromMs;
    if (end - Math.max(last, fromMs) > src.silenceMs) return describe(src, Math.max(last, fromMs), end);
    return undefined;
  }
  if (!rec) return toMs - fromMs > src.silenceMs ? describe(src, fromMs, toMs) : undefined;
  const silences: [number, number][] = [[fromMs, rec.firstMs], ...rec.silences, [rec.lastMs, toMs]];
  for (const [a, b] of silences) {
    const lo = Math.max(a, fromMs);
    const hi = Math.min(b, toMs);
    if (hi - lo > src.silenceMs) return describe(src, lo, hi);
  }
  return undefined;
}

/** Why an SLO's signal was not observed throughout its window, or undefined when it was. */
export function signalGap(slo: Slo, scenario: ResolvedScenario, obs: Observation): string | undefined {
  const win = slo.window ?? { from: 0, to: obs.replayS };
  const fromMs = win.from * 1000;
  // Up to the start of tear-down: sources stop there by design.
  const toMs = Math.min(win.to * 1000, obs.replayEndMs);
  if (toMs <= fromMs) return undefined;
  const records = new Map(obs.sources.map((r) => [`${r.kind}:${r.id}`, r]));
  const seen = new Set<string>();
  const k6ByProcess = obs.sources.some((r) => r.kind === 'k6' && r.id !== 'k6');
  for (const { metric, where } of sloMetrics(slo)) {
    for (const src of sourcesOf(scenario, metric, where, k6ByProcess)) {
      const key = `${src.kind}:${src.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const gap = silenceIn(src, records.get(key), fromMs, toMs);
      if (gap) return gap;
    }
  }
  return undefined;
}

/** A pass whose signal was not observed throughout becomes unknown; a breach seen is still a breach. */
export function withSignalCoverage(results: readonly SloResult[], scenario: ResolvedScenario, obs: Observation): SloResult[] {
  const bySlo = new Map(scenario.slos.map((s) => [s.id, s]));
  return results.map((r) => {
    const slo = bySlo.get(r.id);
    if (!slo || r.status !== 'pass') return r;
    const gap = signalGap(slo, scenario, obs);
    return gap ? { ...r, status: 'unknown' as const, detail: `${r.detail}; signal not observed: ${gap}` } : r;
  });
}

/**
 * The variant's verdict once the whole-run evidence is weighed: an incomplete history makes it
 * unknown (inconclusive) whatever its SLOs say; a fault that never took effect makes a variant that
 * would have held unknown (a breach it had is still reported as broken).
 */
export function withRunCoverage(verdict: VariantVerdict, historyIncomplete: string | undefined, faults: readonly string[]): VariantVerdict {
  const gaps = [...(verdict.evidenceGaps ?? []), ...(historyIncomplete ? [historyIncomplete] : []), ...faults];
  if (gaps.length === (verdict.evidenceGaps?.length ?? 0)) return verdict;
  const others = verdict.reasons.filter((r) => r !== 'every SLO held' && !gaps.includes(r));
  if (!historyIncomplete && verdict.status === 'broken') return { ...verdict, reasons: [...verdict.reasons, ...faults], evidenceGaps: gaps };
  return { ...verdict, status: 'inconclusive', met: false, reasons: [...gaps, ...others], evidenceGaps: gaps };
}
