import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load-scenario.ts';
import { planTopology } from './topology-plan.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ctx = { runId: 'r', workDir: '/tmp/x', images: { node: 'n', haproxy: 'h', redis: 'r', toxiproxy: 't' } };

describe('planTopology: deployments[].readiness.mode', () => {
  it('becomes the pod variable READINESS_MODE; absent, the server default applies', async () => {
    const s = await loadScenario('harness/scenario/fixtures/tiny.ts', root);
    const resolved = s.resolved.incident!;
    const [first, ...rest] = resolved.topology.deployments;
    const withDeep = { ...resolved, topology: { ...resolved.topology, deployments: [{ ...first!, readiness: { mode: 'deep' as const } }, ...rest] } };
    const plan = planTopology(withDeep, ctx);
    expect(plan.deployments[0]!.env.READINESS_MODE).toBe('deep');
    expect(plan.deployments[1]!.env.READINESS_MODE).toBeUndefined();
  });
});
