import { describe, expect, it } from 'vitest';
import { sampleModel } from './fixtures.ts';
import { memoryLimitMb, planCapacity } from './plan.ts';
import type { CapacityTarget } from './profile-schema.ts';

const target: CapacityTarget = {
  connections: { ws: 1000, fallback: 100 },
  publishRatePerS: 10,
  fanOut: 100,
  fallbackShareOnPrimaryFailure: 0.5,
  headroom: 0.2,
  podSize: { ws: { memoryMb: 120, cpus: 0.5 }, fallback: { memoryMb: 220, cpus: 0.5 } },
};

describe('memoryLimitMb', () => {
  it('leaves room for connections / (1 - headroom), rounded up to 8 MiB', () => {
    // 20 + 80 / 0.8 = 120 MiB exactly.
    expect(memoryLimitMb({ baseMb: 20, perConnectionKb: 1024 }, 80, 0.2)).toBe(120);
    expect(memoryLimitMb({ baseMb: 20, perConnectionKb: 1024 }, 81, 0.2)).toBe(128);
  });
});

describe('planCapacity', () => {
  const plan = planCapacity(sampleModel(), target);
  const ws = plan.roles.find((r) => r.role === 'ws')!;
  const fb = plan.roles.find((r) => r.role === 'fallback')!;

  it('sizes the WebSocket role by its binding limit with N+1', () => {
    // 120 MiB pod: OOM at 100 connections, 80 after headroom -> 1000 / 80 = 12.5 -> 13 pods, +1.
    expect(ws.limits.find((l) => l.name === 'memory')).toMatchObject({ perPod: 80, podsNeeded: 13 });
    // CPU: (0.5 × 0.6 - 0.1) / 1e-4 = 2000 msg/s, 1600 after headroom; 1000 × 909 / 1100 deliveries -> 1 pod.
    expect(ws.limits.find((l) => l.name.startsWith('cpu'))).toMatchObject({ perPod: 1600, podsNeeded: 1 });
    expect(ws.binding).toBe('memory');
    expect(ws.pods).toBe(14);
    // One pod down: 1000 / 13 = 77 connections each -> 20 + 77 / 0.8 = 116.25 -> 120 MiB.
    expect(ws.memoryLimitMb).toBe(120);
  });

  it('sizes the fallback for its steady load plus the surge when the primary fails', () => {
    expect(plan.failover.surge).toBe(500);
    // 220 MiB at 2 MiB per session: OOM at 100, 80 after headroom; 600 sessions -> 8 pods + 1.
    expect(fb.pods).toBe(9);
    // Eight pods left at their measured limit: 800 sessions - 100 steady = 700 >= 500.
    expect(plan.failover.fleets[0]).toEqual({ name: 'planned', pods: 9, largestAbsorbableSurge: 700, survives: true });
  });

  it('shows that a fallback sized for its steady load only does not absorb the surge (2021)', () => {
    // 100 sessions -> 2 pods + 1; two left: 200 - 100 = 100 < 500.
    expect(plan.failover.fleets[1]).toEqual({ name: 'steady-only', pods: 3, largestAbsorbableSurge: 100, survives: false });
  });

  it('judges the fleet deployed today when the target names it', () => {
    const p = planCapacity(sampleModel(), { ...target, currentFallbackPods: 6 });
    // Five left: 500 - 100 = 400 < 500.
    expect(p.failover.fleets[2]).toEqual({ name: 'current', pods: 6, largestAbsorbableSurge: 400, survives: false });
    const q = planCapacity(sampleModel(), { ...target, currentFallbackPods: 7 });
    expect(q.failover.fleets[2]).toMatchObject({ largestAbsorbableSurge: 500, survives: true });
  });

  it('warns when the latency fit puts the publish SLO below the planned CPU utilisation', () => {
    // The sample model plans to 60% CPU; its latency curve reaches the SLO at 80%: no warning.
    expect(plan.notes.join(' ')).not.toMatch(/latency fit/);
    const m = sampleModel();
    const p = planCapacity({ ...m, messages: { ...m.messages, latency: { ...m.messages.latency, utilisationAtSlo: 0.3 } } }, target);
    expect(p.notes.join(' ')).toMatch(/By the latency fit \(RMSE 1 ms\) publish p99 passes its SLO at 30% CPU, below the planned 60%/);
  });

  it('warns when the held-out error is larger than the headroom', () => {
    const p = planCapacity(sampleModel({ heldOutError: { memory: 0.3, messages: null } }), target);
    expect(p.notes.join(' ')).toMatch(/held-out error \(30\.0%\) is larger than the headroom/);
  });
});
