import type { Observation } from '../metrics/fold.ts';
import { fitTrend } from '../metrics/trend-fit.ts';
import type { Labels } from '../scenario/conditions.ts';
import type { Slo } from '../scenario/schema.ts';

// A pod gauge's trend over a window (memory growth per minute under churn): a least-squares slope
// per pod, fitted on the seconds that pod actually reported, never a value carried over a gap; a
// group's slope is the sum of its pods' slopes (the fleet's growth). Each pod is fitted on its own
// samples because pods sample some gauges on their own clocks (the live heap every few seconds), so
// pods rarely report in the same second; and a pod that stopped reporting cannot look like memory
// going down, it only has fewer samples. Every pod of a group needs `minSamples`, or the group is
// unknown. With `holding: 'connections'` each pod's slope is what its own open-connection count
// does not explain; when that count moved in step with time (a ramp) the two cannot be told apart
// and the answer is unknown. One exception: in a group of several pods whose total stayed level,
// a pod's ramp is connections moving to or from its neighbours (churned clients reconnecting
// elsewhere); then every pod of the group is fitted on time alone and the moves cancel in the sum,
// while growth that is not load (a leak) still adds up.

type GaugeTrendSlo = Extract<Slo, { kind: 'gauge-trend' }>;

/** |r(time, connections)| above this: the growth cannot be told from the load. */
export const MAX_TIME_COVARIATE_R = 0.9;

export interface GroupTrend {
  group: string;
  samples: number;
  /** Per minute; undefined when it could not be fitted. */
  slopePerMin: number | undefined;
  covariate?: { min: number; max: number; r: number | undefined };
  /** Held on the group's total because connections moved between its pods: what moved, and the total's spread. */
  heldOnTotal?: { pod: string; podR: number; totalMin: number; totalMax: number; totalR: number | undefined };
  /** Why the group has no slope. */
  unknown?: string;
}

export interface GaugeTrendValue {
  value: number | null;
  detail: string;
  /** Some group could not be judged: a pass is unknown, a breach elsewhere is still a breach. */
  partial: boolean;
  groups: GroupTrend[];
}

const fmt = (n: number) => (Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
const signed = (n: number) => `${n >= 0 ? '+' : ''}${fmt(n)}`;

/** Per pod, summed over its series (transports of `connections`), at each second every series of the pod left undefined or set. */
function perPod(series: { labels: Labels; values: readonly (number | undefined)[] }[], from: number, to: number): Map<string, { deployment: string; values: (number | undefined)[] }> {
  const out = new Map<string, { deployment: string; values: (number | undefined)[] }>();
  for (const s of series) {
    const pod = s.labels.pod;
    if (pod === undefined) continue;
    let p = out.get(pod);
    if (!p) out.set(pod, (p = { deployment: s.labels.deployment ?? '', values: new Array<number | undefined>(to - from).fill(undefined) }));
    for (let i = from; i < to; i++) {
      const v = s.values[i];
      if (v !== undefined) p.values[i - from] = (p.values[i - from] ?? 0) + v;
    }
  }
  return out;
}

interface PodFit {
  pod: string;
  samples: number;
  fit: ReturnType<typeof fitTrend>;
  covariate?: { min: number; max: number };
}

/** One pod's slope on the seconds it reported the gauge (and, when held, its connections). */
function fitPod(pod: string, values: readonly (number | undefined)[], heldValues: readonly (number | undefined)[] | undefined, from: number, holding: boolean): PodFit {
  const t: number[] = [];
  const y: number[] = [];
  const z: number[] = [];
  values.forEach((v, i) => {
    const c = heldValues?.[i];
    if (v === undefined || (holding && c === undefined)) return;
    t.push(from + i);
    y.push(v);
    if (holding) z.push(c!);
  });
  const covariate = holding && z.length > 0 ? { min: Math.min(...z), max: Math.max(...z) } : undefined;
  return { pod, samples: t.length, fit: fitTrend(t, y, holding ? z : undefined), covariate };
}

/** The group's summed covariate at each second every member reported it (undefined elsewhere). */
function groupTotal(members: readonly ((number | undefined)[] | undefined)[], length: number): (number | undefined)[] {
  return Array.from({ length }, (_, i) => {
    const vs = members.map((m) => m?.[i]);
    return vs.some((v) => v === undefined) ? undefined : vs.reduce((a: number, v) => a + v!, 0);
  });
}

export function judgeGaugeTrend(slo: GaugeTrendSlo, obs: Observation): GaugeTrendValue {
  const from = Math.max(0, Math.floor(slo.window.from));
  // The replay only: tear-down stops clients and removes pods by design.
  const to = Math.min(Math.ceil(slo.window.to), obs.replayS);
  const span = `[${slo.window.from} s, ${slo.window.to} s)`;
  const unit = `${slo.metric} per minute`;
  if (to - from < 2) return { value: null, detail: `no data: the window ${span} ends before the replay's ${obs.replayS} s`, partial: false, groups: [] };
  const gauge = perPod(obs.metrics.gaugeSamples(slo.metric, slo.where), from, to);
  const held = slo.holding ? perPod(obs.metrics.gaugeSamples(slo.holding, slo.where), from, to) : undefined;
  // A pod that ran in the window belongs to its group even if it never reported this gauge: its
  // silence makes the group unknown rather than leaving it out.
  const running = perPod(obs.metrics.gaugeSamples('pods.running', slo.where), from, to);
  for (const [pod, p] of running) {
    if (!gauge.has(pod) && p.values.some((v) => v === 1)) gauge.set(pod, { deployment: p.deployment, values: new Array<number | undefined>(to - from).fill(undefined) });
  }
  const pods = [...gauge].filter(([pod, p]) => p.values.some((v) => v !== undefined) || running.get(pod)?.values.some((v) => v === 1));
  const groupOf = (pod: string, deployment: string) => (slo.per === 'pod' ? pod : slo.per === 'deployment' ? deployment : 'all pods');
  const groups = new Map<string, string[]>();
  for (const [pod, p] of pods) {
    const g = groupOf(pod, p.deployment);
    groups.set(g, [...(groups.get(g) ?? []), pod]);
  }
  if (groups.size === 0) return { value: null, detail: `no data: no ${slo.metric} sample in ${span}`, partial: false, groups: [] };

  const results: GroupTrend[] = [...groups].map(([group, members]) => {
    const fits = members.map((pod) => fitPod(pod, gauge.get(pod)!.values, held?.get(pod)?.values, from, held !== undefined));
    const samples = Math.min(...fits.map((f) => f.samples));
    const cs = fits.flatMap((f) => (f.covariate ? [f.covariate] : []));
    const covariate = held && cs.length > 0 ? { min: Math.min(...cs.map((c) => c.min)), max: Math.max(...cs.map((c) => c.max)), r: undefined as number | undefined } : undefined;
    const few = fits.find((f) => f.samples < slo.minSamples);
    if (few) return { group, samples, slopePerMin: undefined, covariate, unknown: `${few.pod} reported ${few.samples} samples in the window, fewer than ${slo.minSamples}` };
    const rs = fits.flatMap((f) => (f.fit?.timeCovariateR !== undefined ? [f.fit.timeCovariateR] : []));
    if (covariate && rs.length > 0) covariate.r = rs.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
    const ramp = fits.find((f) => f.fit?.timeCovariateR !== undefined && Math.abs(f.fit.timeCovariateR) > MAX_TIME_COVARIATE_R);
    if (ramp) {
      const rampR = ramp.fit!.timeCovariateR!;
      // Each pod refitted holding the group's total instead of its own count: moves between pods
      // are then no covariate of anyone's, and their effects cancel in the sum.
      const total = members.length > 1 && slo.per !== 'pod' ? groupTotal(members.map((pod) => held?.get(pod)?.values), to - from) : undefined;
      const plain = total ? members.map((pod) => fitPod(pod, gauge.get(pod)!.values, total, from, true)) : [];
      const totalR = plain.map((f) => f.fit?.timeCovariateR).find((r) => r !== undefined && Math.abs(r) > MAX_TIME_COVARIATE_R);
      const short = plain.find((f) => f.samples < slo.minSamples);
      if (!total || totalR !== undefined || short) {
        const why = totalR !== undefined ? `, and the group's total too (r=${totalR.toFixed(2)})` : short ? `, and ${short.pod} has ${short.samples} samples beside the group's total` : '';
        return { group, samples, slopePerMin: undefined, covariate, unknown: `${slo.holding} moved in step with time on ${ramp.pod} (r=${rampR.toFixed(2)})${why}: growth cannot be told from load` };
      }
      const unfittedPlain = plain.find((f) => f.fit?.slopePerS === undefined);
      if (unfittedPlain) return { group, samples, slopePerMin: undefined, covariate, unknown: `no trend can be fitted on ${unfittedPlain.pod}` };
      const totals = total.filter((v): v is number => v !== undefined);
      const rs = plain.flatMap((f) => (f.fit?.timeCovariateR !== undefined ? [f.fit.timeCovariateR] : []));
      const heldOnTotal = { pod: ramp.pod, podR: rampR, totalMin: Math.min(...totals), totalMax: Math.max(...totals), totalR: rs.length ? rs.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a)) : undefined };
      return { group, samples, slopePerMin: plain.reduce((sum, f) => sum + f.fit!.slopePerS!, 0) * 60, covariate, heldOnTotal };
    }
    const unfitted = fits.find((f) => f.fit?.slopePerS === undefined);
    if (unfitted) return { group, samples, slopePerMin: undefined, covariate, unknown: `no trend can be fitted on ${unfitted.pod}` };
    return { group, samples, slopePerMin: fits.reduce((sum, f) => sum + f.fit!.slopePerS!, 0) * 60, covariate };
  });

  const holdingText = (g: GroupTrend) => {
    if (g.heldOnTotal) {
      const h = g.heldOnTotal;
      return ` holding ${slo.holding} of the group together (${h.totalMin}-${h.totalMax} in all${h.totalR === undefined ? '' : `, r=${h.totalR.toFixed(2)}`}): they moved between its pods (${h.pod} r=${h.podR.toFixed(2)})`;
    }
    return g.covariate ? ` holding ${slo.holding} (${g.covariate.min}-${g.covariate.max} per pod)` : '';
  };
  const describe = (g: GroupTrend) =>
    g.slopePerMin === undefined ? `${g.group}: unknown (${g.unknown})` : `${g.group}: ${signed(g.slopePerMin)} over ${g.samples}+ samples per pod${holdingText(g)}`;
  const fitted = results.filter((g) => g.slopePerMin !== undefined);
  const steepest = fitted.sort((a, b) => b.slopePerMin! - a.slopePerMin!)[0];
  const text = `${unit} in ${span}, per ${slo.per === 'all' ? 'all matching pods summed' : slo.per}: ${[...results].sort((a, b) => (b.slopePerMin ?? -Infinity) - (a.slopePerMin ?? -Infinity)).map(describe).join('; ')}`;
  const unknowns = results.filter((g) => g.slopePerMin === undefined);
  if (!steepest) return { value: null, detail: `no data: ${text}`, partial: false, groups: results };
  return { value: steepest.slopePerMin!, detail: text, partial: unknowns.length > 0, groups: results };
}
