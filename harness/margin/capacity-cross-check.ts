import type { CommittedModel } from '../capacity/sizing.ts';
import { predictedOomConnections } from '../capacity/model.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { MetSide } from './search.ts';

// The capacity model against the replay: for a deployment whose memory the model sized, how many
// times the scenario's clients its pods should hold before the kernel kills one, and whether the
// margin the search measured agrees. Pure.
//
// The scenario's clients arrive evenly over load.ramp.upS and the edge sends each new connection by
// the weights in force at that second (edge.weights, then each weights.shift), so the share a
// deployment gets at ×1 follows from the variant alone. Its pods split that share evenly (HAProxy
// round-robin). The model says a pod of M MiB holds (M − base) / per-connection connections.
//
// Either variant brackets the same boundary, the factor at which a pod fills: a variant that holds
// keeps its pods below it (met on the low side), an incident whose cascade starts with a pod killed
// reproduces above it (met on the high side).

/** More than this between model and replay is a finding: one of them is wrong. */
export const DISAGREEMENT = 0.1;

/**
 * The per-connection memory a deployment's pods hold (RETAINED_BYTES_PER_CONNECTION in its env; the
 * server's default is 0): the cross-check must use the model measured with the same value.
 */
export function retainedBytesOf(scenario: Pick<ResolvedScenario, 'id' | 'variant' | 'topology'>, deployment: string): number {
  const d = scenario.topology.deployments.find((x) => x.name === deployment);
  if (!d) throw new Error(`cross-check: ${scenario.id}/${scenario.variant} has no deployment ${deployment}`);
  const raw = d.env.RETAINED_BYTES_PER_CONNECTION ?? '0';
  const bytes = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(bytes)) {
    throw new Error(`cross-check: deployment ${deployment} of ${scenario.id}/${scenario.variant} sets RETAINED_BYTES_PER_CONNECTION=${raw}, not a whole number of bytes`);
  }
  return bytes;
}

/** The share of arriving clients the edge sends to `deployment`, averaged over the arrival ramp. */
export function arrivalShare(s: Pick<ResolvedScenario, 'topology' | 'timeline' | 'load'>, deployment: string): number {
  const upS = s.load.ramp.upS;
  const shifts = s.timeline.flatMap((a) => (a.type === 'weights.shift' ? [{ at: a.at, weights: a.params.weights as Record<string, number> }] : [])).sort((a, b) => a.at - b.at);
  let weights: Record<string, number> = { ...s.topology.edge.weights };
  const shareNow = () => {
    const total = Object.values(weights).reduce((x, y) => x + y, 0);
    return total > 0 ? (weights[deployment] ?? 0) / total : 0;
  };
  // Shifts at or before the first arrival decide where it goes.
  while (shifts.length && shifts[0]!.at <= 0) weights = { ...weights, ...shifts.shift()!.weights };
  if (upS === 0) return shareNow();
  let t = 0;
  let sum = 0;
  for (const shift of shifts) {
    if (shift.at >= upS) break;
    sum += shareNow() * (shift.at - t);
    t = shift.at;
    weights = { ...weights, ...shift.weights };
  }
  sum += shareNow() * (upS - t);
  return sum / upS;
}

export interface CapacityCrossCheck {
  deployment: string;
  memoryMb: number;
  replicas: number;
  clientsAt1: number;
  /** Of the arriving clients, the share the edge sends to the deployment (0..1). */
  share: number;
  connectionsPerPodAt1: number;
  model: { file: string; generatedAt: string; baseMb: number; perConnectionKb: number; heldOutError: number | null };
  /** Connections one pod holds before the kernel kills it, by the model. */
  capacityPerPod: number;
  predicted: {
    /** Clients factor at which a pod reaches its capacity with every pod in service (what the replay runs). */
    allPods: number;
    /** The same with one pod lost (N+1: its clients spread over the others); null with one pod. */
    nPlusOne: number | null;
  };
  /** low: the highest factor at which the pods kept (no pod filled); high: the lowest at which one filled. */
  measured: { low: number | null; high: number | null; point: number | null };
  /** measured.point / predicted.allPods − 1, when the search pinned the margin. */
  difference: number | null;
  verdict: 'agrees' | 'disagrees' | 'cannot-tell';
  statement: string;
}

const x = (f: number) => `×${f.toFixed(2)}`;
/** A factor the search ran, as the search names it (×0.725, not ×0.72). */
const ran = (f: number) => `×${Math.round(f * 1000) / 1000}`;

export function capacityCrossCheck(args: {
  scenario: ResolvedScenario;
  deployment: string;
  model: CommittedModel;
  modelFile: string;
  /** The search's bracket: the decided factors nearest the boundary on its met and unmet sides (null: none), and where met lies. */
  measured: { met: number | null; unmet: number | null; complete: boolean; metSide: MetSide };
}): CapacityCrossCheck {
  const { scenario, deployment, model } = args;
  const d = scenario.topology.deployments.find((x) => x.name === deployment);
  if (!d) throw new Error(`cross-check: ${scenario.id}/${scenario.variant} has no deployment ${deployment}`);
  const ws = model.model.memory.find((m) => m.role === 'ws');
  if (!ws) throw new Error(`cross-check: the capacity model in ${args.modelFile} has no WebSocket memory fit; re-run \`harness capacity --save-model\``);
  const clientsAt1 = scenario.load.clients?.count ?? 0;
  const share = arrivalShare(scenario, deployment);
  const perPod = (pods: number) => (clientsAt1 * share) / pods;
  const capacityPerPod = predictedOomConnections(ws, d.memoryMb);
  const allPods = capacityPerPod / perPod(d.replicas);
  const nPlusOne = d.replicas > 1 ? capacityPerPod / perPod(d.replicas - 1) : null;

  const m = args.measured;
  // Below the boundary the pods keep: a holding variant's met side, an incident's unmet side.
  const [low, high] = m.metSide === 'low' ? [m.met, m.unmet] : [m.unmet, m.met];
  const [keptText, filledText] = m.metSide === 'low' ? ['held', 'broken'] : ['did not reproduce', 'reproduced'];
  const point = m.complete && low !== null && high !== null ? (low + high) / 2 : null;
  const difference = point === null ? null : point / allPods - 1;
  // Outside the measured interval by more than the tolerance is a disagreement even when the search
  // did not finish; inside an open interval nothing can be said yet.
  const below = low !== null && allPods < low * (1 - DISAGREEMENT);
  const above = high !== null && allPods > high * (1 + DISAGREEMENT);
  const verdict: CapacityCrossCheck['verdict'] =
    difference !== null ? (Math.abs(difference) > DISAGREEMENT ? 'disagrees' : 'agrees') : below || above ? 'disagrees' : 'cannot-tell';
  const measuredText =
    point !== null
      ? `${x(point)} (between ${ran(low!)} ${keptText} and ${ran(high!)} ${filledText})`
      : `between ${low === null ? `nothing ${keptText}` : `${ran(low)} ${keptText}`} and ${high === null ? `nothing ${filledText} in range` : `${ran(high)} ${filledText}`} (search not pinned)`;
  const statement =
    `model: a ${d.memoryMb} MiB pod holds ${Math.floor(capacityPerPod)} connections; at ×1 each of ${d.replicas} ${deployment} pods gets ${perPod(d.replicas).toFixed(1)} ` +
    `(${(share * 100).toFixed(1)}% of ${clientsAt1} clients), so a pod reaches its limit at ${x(allPods)}` +
    `${nPlusOne === null ? '' : ` (${x(nPlusOne)} with one pod lost, N+1)`}; measured: ${measuredText}` +
    (verdict === 'disagrees'
      ? ` — DISAGREES by more than ${DISAGREEMENT * 100}%: the model or the replay is wrong`
      : verdict === 'agrees'
        ? ` — agrees within ${DISAGREEMENT * 100}% (${difference! >= 0 ? '+' : ''}${(difference! * 100).toFixed(1)}%)`
        : ' — cannot tell yet');
  return {
    deployment,
    memoryMb: d.memoryMb,
    replicas: d.replicas,
    clientsAt1,
    share,
    connectionsPerPodAt1: perPod(d.replicas),
    model: { file: args.modelFile, generatedAt: model.generatedAt, baseMb: ws.baseMb, perConnectionKb: ws.perConnectionKb, heldOutError: model.model.heldOutError.memory },
    capacityPerPod,
    predicted: { allPods, nPlusOne },
    measured: { low, high, point },
    difference,
    verdict,
    statement,
  };
}
