import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load-scenario.ts';
import { AT_SCALE_VARIANTS, selectVariants } from '../scenario/resolve.ts';
import { readBounds } from './bounds.ts';
import { planAndCheck } from './plan-runs.ts';

// The at-scale variants as `harness run <id> --variant at-scale --dry-run` plans them: 10,000+
// connections through the edge, spread over edge processes that each stay within maxconn, every
// process within its descriptors. The replays themselves are benchmark runs (README), not tests.

const SCENARIOS = ['oom-cascade', 'connection-limit'];

describe.each(SCENARIOS)('%s at scale', (id) => {
  it('plans 10,000+ connections through the edge with no process over its bound', async () => {
    const scenario = await loadScenario(resolve(import.meta.dirname, `../../scenarios/${id}.ts`));
    const variants = selectVariants(scenario, 'at-scale');
    expect(variants.map((v) => v.variant)).toEqual([...AT_SCALE_VARIANTS]);
    const bounds = readBounds();
    const plans = planAndCheck(variants, bounds);
    expect(plans).toHaveLength(2);
    for (const { plan } of plans) {
      expect(plan.edgeConnections).toBeGreaterThanOrEqual(10_000);
      expect(plan.edgeProcesses).toBeGreaterThan(1);
      expect(plan.edgeConnectionsPerProcess).toBeLessThanOrEqual(plan.edgeMaxconn);
      expect(plan.processes.filter((p) => p.kind === 'edge')).toHaveLength(plan.edgeProcesses);
      for (const p of plan.processes) expect(p.fds, p.name).toBeLessThanOrEqual(bounds.fdsPerProcess.value);
    }
  });

  it('keeps `both` to incident and remediated and `all` to the variants that are not at scale', async () => {
    const scenario = await loadScenario(resolve(import.meta.dirname, `../../scenarios/${id}.ts`));
    expect(selectVariants(scenario, 'both').map((v) => v.variant)).toEqual(['incident', 'remediated']);
    const all = selectVariants(scenario, 'all').map((v) => v.variant);
    expect(all).toContain('incident');
    expect(all.filter((v) => v.includes('at-scale'))).toEqual([]);
  });
});
