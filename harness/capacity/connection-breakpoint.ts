import { sleep } from '../load/timing.ts';
import type { Teardown } from '../platform/teardown.ts';
import { connectionBreak } from './break-rules.ts';
import type { BreakInfo, ConnectionRunResult, ConnectionStep } from './capacity-schema.ts';
import { startCapacityPod } from './capacity-pod.ts';
import { startK6WsDriver } from './k6-ws-driver.ts';
import { startNodeFallbackDriver } from './node-fallback-driver.ts';
import { readPod, settledDeath, type PodReading } from './pod-probe.ts';
import { MAX_RUN_S, type CapacitySlo, type ConnectionRun } from './profile-schema.ts';

export interface BreakpointContext {
  image: string;
  runId: string;
  teardown: Teardown;
  retainedBytesPerConnection: number;
  slo: CapacitySlo;
  sampleMs: number;
  log: (line: string) => void;
}

export const runLabel = (role: string, memoryMb: number, cpus: number) => `${role}-${memoryMb}mb-${cpus}cpu`;

/**
 * Ramps connections on one pod of one role until it breaks (OOM kill, exit, refusal, connect-time
 * SLO) or the run's bound (maxConnections held for holdS, or MAX_RUN_S); samples the pod every
 * sampleMs. Returns every step and where and why it broke.
 */
export async function runConnectionBreakpoint(run: ConnectionRun, ctx: BreakpointContext): Promise<ConnectionRunResult> {
  const id = runLabel(run.role, run.memoryMb, run.cpus);
  const pod = await startCapacityPod(
    { name: id, roles: run.role, memoryMb: run.memoryMb, cpus: run.cpus, retainedBytesPerConnection: ctx.retainedBytesPerConnection },
    ctx,
  );
  const rampS = run.maxConnections / run.rampPerS;
  const boundS = Math.min(MAX_RUN_S, rampS + run.holdS + 10);
  ctx.log(`  ${id}: ramping to ${run.maxConnections} ${run.role === 'ws' ? 'WebSocket connections' : 'xhr_streaming sessions'} at ${run.rampPerS}/s (bound ${boundS.toFixed(0)} s)`);

  const steps: ConnectionStep[] = [];
  let last: PodReading = await readPod(pod);
  const t0 = Date.now();
  const toStep = (r: PodReading, prev: PodReading, attempted: number, failures: number, p99: number | null): ConnectionStep => ({
    atS: (r.at - t0) / 1000,
    connections: r.metrics?.connections ?? steps[steps.length - 1]?.connections ?? 0,
    attempted,
    memoryMb: r.memoryMb,
    cpuCores: r.metrics && prev.metrics && r.at > prev.at ? Math.max(0, (r.metrics.cpuSeconds - prev.metrics.cpuSeconds) / ((r.at - prev.at) / 1000)) : null,
    connectP99Ms: p99,
    failures,
    refused: r.metrics?.refused ?? steps[steps.length - 1]?.refused ?? 0,
  });
  steps.push(toStep(last, last, 0, 0, null));

  const abort = new AbortController();
  ctx.teardown.add(`stop ${id} clients`, () => abort.abort());
  const start = run.role === 'ws' ? startK6WsDriver : startNodeFallbackDriver;
  const driver = start({ port: pod.spec.port, rampPerS: run.rampPerS, maxConnections: run.maxConnections, maxDurationS: Math.ceil(boundS) + 5, signal: abort.signal });
  if (driver.processes > 1) ctx.log(`  ${id}: ${driver.processes} k6 processes, one execution segment each`);
  const clients = driver.log;

  let brk: BreakInfo | undefined;
  let seenFailures = 0;
  let fullSince: number | undefined;
  while (!brk) {
    await sleep(ctx.sampleMs);
    const reading = await readPod(pod);
    const windowFrom = Math.max(t0, reading.at - 2000);
    const step = toStep(reading, last, clients.attempted, clients.failures.length, clients.connectP99(windowFrom, reading.at));
    steps.push(step);
    const newFailures = clients.failures.slice(seenFailures).map((f) => f.reason);
    seenFailures = clients.failures.length;
    brk = connectionBreak({ steps, pod: reading, failureReasons: newFailures, slo: ctx.slo, memoryMb: run.memoryMb });
    if (brk && brk.kind === 'refusal' && reading.running) {
      // Clients see the kill before the kernel's verdict is readable: look again before calling it a refusal.
      await sleep(300);
      const again = await readPod(pod);
      if (!again.running) brk = connectionBreak({ steps, pod: again, failureReasons: [], slo: ctx.slo, memoryMb: run.memoryMb });
    }
    if (brk && (brk.kind === 'oom-killed' || brk.kind === 'exited')) {
      // Judged again on the settled end; k6 writes its points about once a second, so the wait also
      // lets the clients' own timestamps count the connections open at the death (finer than a sample).
      const death = await settledDeath(pod, reading);
      brk = connectionBreak({ steps, pod: death, failureReasons: [], slo: ctx.slo, memoryMb: run.memoryMb }) ?? brk;
      brk = { ...brk, value: death.finishedAtMs !== undefined ? clients.peakOpen(death.finishedAtMs) : brk.value };
    }
    last = reading;
    const elapsedS = (reading.at - t0) / 1000;
    if (!brk && clients.attempted >= run.maxConnections) {
      fullSince ??= reading.at;
      if (reading.at - fullSince >= run.holdS * 1000) brk = { kind: 'none', atS: step.atS, value: step.connections, reason: `held ${step.connections} connections for ${run.holdS} s: the bound of this run` };
    }
    if (!brk && elapsedS >= boundS) brk = { kind: 'none', atS: step.atS, value: step.connections, reason: `no break within the run's ${boundS.toFixed(0)} s bound` };
  }
  abort.abort();
  await driver.stop();
  const end = await pod.state().catch(() => undefined);
  await pod.remove();
  ctx.log(`  ${id}: ${brk.kind} at ${Math.round(brk.value)} connections, ${brk.atS.toFixed(1)} s: ${brk.reason}`);
  return {
    id,
    role: run.role,
    memoryMb: run.memoryMb,
    cpus: run.cpus,
    use: run.use,
    rampPerS: run.rampPerS,
    maxConnections: run.maxConnections,
    client: driver.client,
    clientProcesses: driver.processes,
    steps,
    break: brk,
    pod: { oomKilled: end?.oomKilled ?? false, exitCode: end && !end.running ? end.exitCode : null, running: end?.running ?? false },
  };
}
