import type { Bounds } from './bounds.ts';
import type { RunPlan } from './run-plan.ts';

/** The plan as `run --dry-run` prints it: what would start, what it would open, against which bound. */
export function formatPlan(plan: RunPlan, bounds: Bounds): string[] {
  const vs = (value: number, bound: { value: number; env: string }) => `${value} (bound ${bound.value}, ${bound.env})`;
  const lines = [
    `plan ${plan.scenarioId}/${plan.variant}`,
    `  duration      ${vs(plan.durationS, bounds.durationS)} s of replay`,
    `  pods          ${plan.pods.map((p) => `${p.deployment}/${p.index}`).join(', ') || '(none)'}; at the most ${vs(plan.peakPods, bounds.pods)}`,
    `  containers    ${plan.containers.map((c) => `${c.name} ×${c.count}${c.memoryMb ? ` (${c.memoryMb} MB)` : ''}`).join(', ')}; ${vs(plan.containerCount, bounds.containers)}`,
    `  memory        ${vs(plan.memoryMb, bounds.memoryMb)} MB of container limits`,
    `  connections   ${plan.clients} clients × ${plan.socketsPerClient} socket(s) + ${plan.probeConnections} probe + ${plan.k6Connections} k6 (${plan.k6Vus} VUs) = ${plan.edgeConnections} through the edge${plan.edgeProcesses > 1 ? ` over ${plan.edgeProcesses} processes, ${plan.edgeConnectionsPerProcess} on the busiest` : ''}; maxconn ${vs(plan.edgeMaxconn, bounds.edgeMaxconn)} per process${plan.limitCheckConnections > 0 ? `; ${plan.limitCheckConnections} more straight to pods from the limit checks` : ''}`,
    `  ports         ${plan.ports} on 127.0.0.1`,
    `  descriptors   per process, bound ${bounds.fdsPerProcess.value} (${bounds.fdsPerProcess.env}):`,
    ...plan.processes.map((p) => `                  ${p.name}${p.count !== undefined && p.count > 1 ? ` ×${p.count}` : ''}: ${p.fds}${p.count !== undefined && p.count > 1 ? ' each' : ''} (${p.why})`),
  ];
  return lines;
}
