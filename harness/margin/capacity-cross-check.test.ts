import { describe, expect, it } from 'vitest';
import oomCascade from '../../scenarios/oom-cascade.ts';
import { committedModelFor, NATURAL_MODEL_FILE, readCommittedModel } from '../capacity/sizing.ts';
import { resolveVariant, validateScenario } from '../scenario/resolve.ts';
import { arrivalShare, capacityCrossCheck, retainedBytesOf } from './capacity-cross-check.ts';

const incident = resolveVariant(validateScenario(oomCascade, 'scenarios/oom-cascade.ts'), 'incident');
const remediated = resolveVariant(validateScenario(oomCascade, 'scenarios/oom-cascade.ts'), 'remediated');
const model = readCommittedModel();

describe('capacity cross-check', () => {
  it('derives the share of arriving clients from the weights in force over the ramp', () => {
    // 450 clients over 45 s: 100% old until 1 s, 20% new until 10 s, 70% new after: (9 × 0.2 + 35 × 0.7) / 45.
    expect(arrivalShare(remediated, 'new')).toBeCloseTo((9 * 0.2 + 35 * 0.7) / 45, 10);
    expect(arrivalShare(remediated, 'old') + arrivalShare(remediated, 'new')).toBeCloseTo(1, 10);
    expect(arrivalShare({ ...remediated, load: { ...remediated.load, ramp: { ...remediated.load.ramp, upS: 0 } } }, 'new')).toBe(0);
  });

  it('picks the model measured with the per-connection memory the pods hold: padded for the base variants, natural at scale', () => {
    expect(retainedBytesOf(remediated, 'new')).toBe(1024 * 1024);
    expect(committedModelFor(retainedBytesOf(remediated, 'new')).file).toMatch(/capacity\/model\.json$/);
    const atScale = resolveVariant(validateScenario(oomCascade, 'scenarios/oom-cascade.ts'), 'remediated-at-scale');
    expect(retainedBytesOf(atScale, 'new')).toBe(0);
    expect(committedModelFor(retainedBytesOf(atScale, 'new')).file).toBe(NATURAL_MODEL_FILE);
    // A deployment without the variable holds what the server holds by default: nothing extra.
    const bare = { ...remediated, topology: { ...remediated.topology, deployments: remediated.topology.deployments.map((d) => ({ ...d, env: {} })) } };
    expect(retainedBytesOf(bare, 'new')).toBe(0);
    const odd = { ...remediated, topology: { ...remediated.topology, deployments: remediated.topology.deployments.map((d) => ({ ...d, env: { RETAINED_BYTES_PER_CONNECTION: '1MiB' } })) } };
    expect(() => retainedBytesOf(odd, 'new')).toThrow(/RETAINED_BYTES_PER_CONNECTION=1MiB, not a whole number of bytes/);
    expect(() => retainedBytesOf(remediated, 'nope')).toThrow(/has no deployment nope/);
  });

  it('predicts the clients factor at which a model-sized pod fills, with every pod and with one lost', () => {
    const c = capacityCrossCheck({ scenario: remediated, deployment: 'new', model, modelFile: 'capacity/model.json', measured: { met: 2.2, unmet: 2.25, complete: true, metSide: 'low' } });
    const ws = model.model.memory.find((m) => m.role === 'ws')!;
    const capacity = (c.memoryMb - ws.baseMb) / (ws.perConnectionKb / 1024);
    expect(c.capacityPerPod).toBeCloseTo(capacity, 6);
    expect(c.connectionsPerPodAt1).toBeCloseTo((450 * c.share) / 3, 6);
    expect(c.predicted.allPods).toBeCloseTo(capacity / c.connectionsPerPodAt1, 6);
    expect(c.predicted.nPlusOne).toBeCloseTo(capacity / ((450 * c.share) / 2), 6);
    // The remediated limit holds 158 connections with 20% headroom: about 198 by the model.
    expect(c.capacityPerPod).toBeGreaterThan(158 / 0.8 - 1);
    expect(c.measured.point).toBeCloseTo(2.225);
  });

  it('agrees within 10%, disagrees beyond, and cannot tell inside an open interval', () => {
    const at = (measured: { met: number | null; unmet: number | null; complete: boolean }) =>
      capacityCrossCheck({ scenario: remediated, deployment: 'new', model, modelFile: 'm', measured: { ...measured, metSide: 'low' } });
    const p = at({ met: 1, unmet: 3, complete: false }).predicted.allPods;
    expect(at({ met: p * 0.98, unmet: p * 1.02, complete: true }).verdict).toBe('agrees');
    const far = at({ met: p * 0.7, unmet: p * 0.74, complete: true });
    expect(far.verdict).toBe('disagrees');
    expect(far.difference).toBeCloseTo(-0.28, 2);
    expect(far.statement).toMatch(/DISAGREES by more than 10%/);
    expect(at({ met: 1, unmet: 3, complete: false }).verdict).toBe('cannot-tell');
    // An open interval that already excludes the prediction is a disagreement.
    expect(at({ met: p * 1.3, unmet: null, complete: false }).verdict).toBe('disagrees');
    expect(at({ met: null, unmet: p * 0.8, complete: true }).verdict).toBe('disagrees');
  });

  it('reads an incident\'s bracket the other way round: it reproduces above the boundary, not below it', () => {
    // The incident's 80 MiB pods: the cascade starts when the first of them fills.
    const at = (met: number | null, unmet: number | null, complete = true) =>
      capacityCrossCheck({ scenario: incident, deployment: 'new', model, modelFile: 'm', measured: { met, unmet, complete, metSide: 'high' } });
    const p = at(null, null, false).predicted.allPods;
    expect(p).toBeGreaterThan(0.5);
    expect(p).toBeLessThan(1);
    // Reproduced at p × 1.02, not at p × 0.98: the pods filled between the two.
    const pinned = at(p * 1.02, p * 0.98);
    expect([pinned.measured.low, pinned.measured.high]).toEqual([p * 0.98, p * 1.02]);
    expect(pinned.measured.point).toBeCloseTo(p, 6);
    expect(pinned.verdict).toBe('agrees');
    expect(pinned.statement).toMatch(/did not reproduce and ×[\d.]+ reproduced\) — agrees/);
    // The factors run are named as the search names them, not rounded to two places.
    expect(at(0.75, 0.725).statement).toMatch(/between ×0\.725 did not reproduce and ×0\.75 reproduced/);
    // Still reproducing at 0.7 × the prediction: the pods fill far sooner than the model says.
    expect(at(p * 0.7, null, false).verdict).toBe('disagrees');
    // Not reproducing at 1.3 × the prediction: they hold far more.
    expect(at(null, p * 1.3, false).verdict).toBe('disagrees');
    expect(at(null, p * 1.05, false).verdict).toBe('cannot-tell');
  });
});
