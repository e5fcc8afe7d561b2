import type { CapacityModel, ConnectionRunResult, ConnectionStep } from './capacity-schema.ts';

// Test data: a memory model with round numbers, and a connection run built from a known line.

export function sampleModel(over: Partial<CapacityModel> = {}): CapacityModel {
  const fit = { slope: 1, intercept: 0, n: 10, r2: 1, rmse: 0, maxAbsResidual: 0 };
  return {
    retainedBytesPerConnection: 1048576,
    // 20 MiB base, 1 MiB per connection: a 120 MiB pod is killed at 100 connections.
    memory: [
      { role: 'ws', baseMb: 20, perConnectionKb: 1024, fit, predictions: [] },
      { role: 'fallback', baseMb: 20, perConnectionKb: 2048, fit, predictions: [] },
    ],
    // 0.1 core idle + 1 core per 10,000 delivered/s, planned up to 60% CPU.
    messages: {
      cpuFit: { ...fit, slope: 1e-4, intercept: 0.1 },
      messagesPerSPerCore: 10_000,
      latency: { l0: 20, n: 5, rmse: 1, utilisationAtSlo: 0.8 },
      utilisationAtSlo: 0.6,
      basis: 'cpu-utilisation',
      predictions: [],
    },
    heldOutError: { memory: 0.05, messages: null },
    ...over,
  };
}

export function lineRun(args: { id: string; memoryMb: number; use: 'fit' | 'holdout'; baseMb: number; mbPerConnection: number; oomAt: number }): ConnectionRunResult {
  const steps: ConnectionStep[] = [];
  for (let i = 0; i * 10 < args.oomAt; i++) {
    steps.push({ atS: i * 0.5, connections: i * 10, attempted: i * 10, memoryMb: args.baseMb + i * 10 * args.mbPerConnection, cpuCores: 0.1, connectP99Ms: 5, failures: 0, refused: 0 });
  }
  const atS = steps.length * 0.5;
  steps.push({ atS, connections: steps.at(-1)!.connections, attempted: args.oomAt, memoryMb: null, cpuCores: null, connectP99Ms: null, failures: 3, refused: 0 });
  return {
    id: args.id,
    role: 'ws',
    memoryMb: args.memoryMb,
    cpus: 0.5,
    use: args.use,
    rampPerS: 20,
    maxConnections: 400,
    client: 'k6',
    steps,
    break: { kind: 'oom-killed', atS, value: args.oomAt, reason: 'the kernel OOM-killed the pod' },
    pod: { oomKilled: true, exitCode: 137, running: false },
  };
}
