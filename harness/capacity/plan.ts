import type { CapacityModel, CapacityPlan, RolePlan } from './capacity-schema.ts';
import { predictedMaxDelivered, predictedOomConnections } from './model.ts';
import type { CapacityTarget, ConnectionRole } from './profile-schema.ts';

// From the model and a target to pods: per role, what one pod carries under each limit (after
// headroom), how many pods each limit needs, which binds first, N+1, the memory a pod really needs,
// and whether the fallback survives the primary failing. Pure.

/** Memory limits are set in steps of 8 MiB. */
export const MEMORY_STEP_MB = 8;

/**
 * The memory limit a pod needs to hold `connections` with `headroom` kept free: room for
 * connections / (1 - headroom) by the model, the same headroom the plan applies to capacity.
 */
export function memoryLimitMb(m: { baseMb: number; perConnectionKb: number }, connections: number, headroom: number): number {
  const need = m.baseMb + (connections / (1 - headroom)) * (m.perConnectionKb / 1024);
  return Math.ceil(need / MEMORY_STEP_MB) * MEMORY_STEP_MB;
}

interface Limit {
  name: string;
  perPod: number;
  load: number;
  unit: string;
  podsNeeded: number;
}

const limit = (name: string, perPod: number, load: number, unit: string): Limit => ({
  name,
  perPod: Math.floor(perPod),
  load,
  unit,
  podsNeeded: load <= 0 ? 0 : perPod <= 0 ? Infinity : Math.ceil(load / Math.floor(perPod)),
});

function memoryOf(model: CapacityModel, role: ConnectionRole) {
  const m = model.memory.find((x) => x.role === role);
  if (!m) throw new Error(`the model has no memory fit for role ${role}`);
  return m;
}

function rolePlan(role: ConnectionRole, limits: Limit[], size: { memoryMb: number; cpus: number }, model: CapacityModel, headroom: number, connections: number): RolePlan {
  const binding = limits.reduce((a, b) => (b.podsNeeded > a.podsNeeded ? b : a));
  const pods = Math.max(1, binding.podsNeeded) + 1;
  return {
    role,
    podMemoryMb: size.memoryMb,
    podCpus: size.cpus,
    limits,
    binding: binding.name,
    pods,
    // With one pod down (the +1), the others share its connections.
    memoryLimitMb: memoryLimitMb(memoryOf(model, role), Math.ceil(connections / (pods - 1)), headroom),
  };
}

export function planCapacity(model: CapacityModel, target: CapacityTarget): CapacityPlan {
  const h = target.headroom;
  const keep = 1 - h;
  const ws = target.connections.ws;
  const fb = target.connections.fallback;
  const subscribers = ws + fb;
  const delivered = target.publishRatePerS * target.fanOut;
  // Deliveries split by where subscribers are; each role's pods deliver to their own clients.
  const deliveredOn = (n: number) => (subscribers > 0 ? (delivered * n) / subscribers : 0);
  const wsMem = memoryOf(model, 'ws');
  const fbMem = memoryOf(model, 'fallback');
  const msgsPerPod = (cpus: number) => predictedMaxDelivered(model.messages, cpus) * keep;

  const wsPlan = rolePlan(
    'ws',
    [
      limit('memory', predictedOomConnections(wsMem, target.podSize.ws.memoryMb) * keep, ws, 'connections'),
      limit('cpu (deliveries)', msgsPerPod(target.podSize.ws.cpus), deliveredOn(ws), 'messages/s'),
    ],
    target.podSize.ws,
    model,
    h,
    ws,
  );

  const surge = Math.round(target.fallbackShareOnPrimaryFailure * ws);
  const fbPerPodMem = predictedOomConnections(fbMem, target.podSize.fallback.memoryMb);
  const fbLimits = (load: number) => [
    limit('memory', fbPerPodMem * keep, load, 'sessions'),
    limit('cpu (deliveries)', msgsPerPod(target.podSize.fallback.cpus), subscribers > 0 ? (delivered * load) / subscribers : 0, 'messages/s'),
  ];
  const fbPlan = rolePlan('fallback', fbLimits(fb + surge), target.podSize.fallback, model, h, fb + surge);
  // The surge a fallback fleet takes before its pods reach their measured limit, one pod down.
  const absorbable = (pods: number) => Math.max(0, Math.floor((pods - 1) * fbPerPodMem) - fb);
  const steadyOnly = rolePlan('fallback', fbLimits(fb), target.podSize.fallback, model, h, fb);

  const notes = [
    `Headroom ${Math.round(h * 100)}%: every pod is planned at ${Math.round(keep * 100)}% of its modelled limit; N+1 adds one pod per role for a pod lost.`,
    `The fallback is sized for its steady ${fb} sessions plus the surge when the primary fails: ${Math.round(target.fallbackShareOnPrimaryFailure * 100)}% of ${ws} WebSocket clients = ${surge} sessions.`,
    `CPU per delivered message was measured on one pod with roles ws+rest (publishes included) at the message runs' fan-out; the fallback's delivery CPU is assumed equal (not measured).`,
  ];
  const mm = model.messages;
  if (mm.basis === 'cpu-utilisation' && mm.latency.utilisationAtSlo < mm.utilisationAtSlo) {
    notes.push(
      `By the latency fit (RMSE ${Math.round(mm.latency.rmse)} ms) publish p99 passes its SLO at ${Math.round(mm.latency.utilisationAtSlo * 100)}% CPU, below the planned ${Math.round(mm.utilisationAtSlo * 100)}%: measured on a shared machine, where latency follows the other processes; re-measure on a quiet one before a plan bound by CPU.`,
    );
  }
  if (model.heldOutError.memory !== null && model.heldOutError.memory > h) {
    notes.push(`The memory model's held-out error (${(model.heldOutError.memory * 100).toFixed(1)}%) is larger than the headroom: raise the headroom.`);
  }
  const fleet = (name: 'planned' | 'steady-only' | 'current', pods: number) => ({ name, pods, largestAbsorbableSurge: absorbable(pods), survives: surge <= absorbable(pods) });
  const fleets = [fleet('planned', fbPlan.pods), fleet('steady-only', steadyOnly.pods)];
  if (target.currentFallbackPods !== undefined) fleets.push(fleet('current', target.currentFallbackPods));
  return { headroom: h, roles: [wsPlan, fbPlan], failover: { surge, fleets }, notes };
}
