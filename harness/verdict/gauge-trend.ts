import type { Observation } from '../metrics/fold.ts';
import { fitTrend } from '../metrics/trend-fit.ts';
import type { Labels } from '../scenario/conditions.ts';
import type { Slo } from '../scenario/schema.ts';

// A pod gauge's trend over a window (memory growth per minute under churn): a least-squares slope
// per group of pods, on the seconds the sampler actually reported, never a value carried over a gap.
// A group's second counts only when every pod of the group that reported in the window reported in
// it, so a pod that stopped reporting cannot look like memory going down. With `holding:
// 'connections'` the slope is what the pods' own open-connection count does not explain; when the
// count moved in step with time (a ramp) the two cannot be told apart and the answer is unknown.

type GaugeTrendSlo = Extract<Slo, { kind: 'gauge-trend' }>;

/** |r(time, connections)| above this: the growth cannot be told from the load. */
export const MAX_TIME_COVARIATE_R = 0.9;

export interface GroupTrend {
  group: string;
  samples: number;
  /** Per minute; undefined when it could not be fitted. */
  slopePerMin: number | undefined;
  covariate?: { min: number; max: number; r: number | undefined };
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

export function judgeGaugeTrend(slo: GaugeTrendSlo, obs: Observation): GaugeTrendValue {
  const from = Math.max(0, Math.floor(slo.window.from));
  // The replay only: tear-down stops clients and removes pods by design.
  const to = Math.min(Math.ceil(slo.window.to), obs.replayS);
  const span = `[${slo.window.from} s, ${slo.window.to} s)`;
  const unit = `${slo.metric} per minute`;
  if (to - from < 2) return { value: null, detail: `no data: the window ${span} ends before the replay's ${obs.replayS} s`, partial: false, groups: [] };
  const gauge = perPod(obs.metrics.gaugeSamples(slo.metric, slo.where), from, to);
  const held = slo.holding ? perPod(obs.metrics.gaugeSamples(slo.holding, slo.where), from, to) : undefined;
  const pods = [...gauge].filter(([, p]) => p.values.some((v) => v !== undefined));
  const groupOf = (pod: string, deployment: string) => (slo.per === 'pod' ? pod : slo.per === 'deployment' ? deployment : 'all pods');
  const groups = new Map<string, string[]>();
  for (const [pod, p] of pods) {
    const g = groupOf(pod, p.deployment);
    groups.set(g, [...(groups.get(g) ?? []), pod]);
  }
  if (groups.size === 0) return { value: null, detail: `no data: no ${slo.metric} sample in ${span}`, partial: false, groups: [] };

  const results: GroupTrend[] = [...groups].map(([group, members]) => {
    const t: number[] = [];
    const y: number[] = [];
    const z: number[] = [];
    for (let i = 0; i < to - from; i++) {
      const ys = members.map((m) => gauge.get(m)!.values[i]);
      const zs = held ? members.map((m) => held.get(m)?.values[i]) : [];
      if (ys.some((v) => v === undefined) || zs.some((v) => v === undefined)) continue;
      t.push(from + i);
      y.push(ys.reduce((a, b) => a! + b!, 0)!);
      if (held) z.push(zs.reduce((a, b) => a! + b!, 0)!);
    }
    const covariate = held && z.length > 0 ? { min: Math.min(...z), max: Math.max(...z), r: undefined as number | undefined } : undefined;
    if (t.length < slo.minSamples) return { group, samples: t.length, slopePerMin: undefined, covariate, unknown: `${t.length} seconds sampled by every pod of ${group}, fewer than ${slo.minSamples}` };
    const fit = fitTrend(t, y, held ? z : undefined);
    if (covariate) covariate.r = fit?.timeCovariateR;
    const r = fit?.timeCovariateR;
    if (r !== undefined && Math.abs(r) > MAX_TIME_COVARIATE_R) {
      return { group, samples: t.length, slopePerMin: undefined, covariate, unknown: `${slo.holding} moved in step with time in ${group} (r=${r.toFixed(2)}): growth cannot be told from load` };
    }
    if (fit?.slopePerS === undefined) return { group, samples: t.length, slopePerMin: undefined, covariate, unknown: `no trend can be fitted in ${group}` };
    return { group, samples: t.length, slopePerMin: fit.slopePerS * 60, covariate };
  });

  const describe = (g: GroupTrend) =>
    g.slopePerMin === undefined
      ? `${g.group}: unknown (${g.unknown})`
      : `${g.group}: ${signed(g.slopePerMin)} over ${g.samples} s${g.covariate ? ` holding ${slo.holding} ${g.covariate.min}-${g.covariate.max}` : ''}`;
  const fitted = results.filter((g) => g.slopePerMin !== undefined);
  const steepest = fitted.sort((a, b) => b.slopePerMin! - a.slopePerMin!)[0];
  const text = `${unit} in ${span}, per ${slo.per === 'all' ? 'all matching pods summed' : slo.per}: ${[...results].sort((a, b) => (b.slopePerMin ?? -Infinity) - (a.slopePerMin ?? -Infinity)).map(describe).join('; ')}`;
  const unknowns = results.filter((g) => g.slopePerMin === undefined);
  if (!steepest) return { value: null, detail: `no data: ${text}`, partial: false, groups: results };
  return { value: steepest.slopePerMin!, detail: text, partial: unknowns.length > 0, groups: results };
}
