import { describe, expect, it } from 'vitest';
import type { TopologySpec } from '../topology/topology.ts';
import { FaultState } from './fault-state.ts';

const spec = (): TopologySpec => ({
  runId: 'r',
  workDir: '/tmp/x',
  images: { node: 'n', haproxy: 'h', redis: 'r', toxiproxy: 't' },
  app: { id: '1', key: 'k', secret: 's' },
  redis: false,
  deployments: [{ name: 'web', roles: ['ws'], replicas: 2, appVersion: 'v1', config: { version: '1', values: { a: 1 } }, env: { A: 'x' }, restartPolicy: 'no' }],
  edge: { listeners: [{ name: 'public', mode: 'keep-alive', routes: { ws: { web: 100 } } }], healthCheck: { enabled: true, intervalMs: 300, fall: 2, rise: 1 }, maxconn: 100 },
});

describe('FaultState: what faults changed, beside the spec as started', () => {
  it('starts as the spec and changes without touching it', () => {
    const started = spec();
    const before = structuredClone(started);
    const state = new FaultState(started);
    expect(state.current('web')).toEqual(started.deployments[0]);
    expect(state.weightsOf('public', 'ws')).toEqual({ web: 100 });

    const releases = state.releasesOf('web');
    const next = releases.next({ appVersion: 'v2', config: { a: 2 } });
    releases.rollOut(next);
    state.changeEnv('web', { B: 'y' }, ['A']);
    state.setReplicas('web', 3);
    state.setWeights('public', 'ws', { web: 50 });
    state.stop(next, 'its gate failed');
    state.locks.take('web-1', 'deploy.rollout web', 10);

    expect(state.current('web')).toMatchObject({ appVersion: 'v2', config: { version: '2', values: { a: 2 } }, env: { B: 'y' }, replicas: 3 });
    expect(state.weightsOf('public', 'ws')).toEqual({ web: 50 });
    expect(state.stoppedWhy(next)).toBe('its gate failed');
    expect(state.snapshot()).toEqual({
      weights: { 'public/ws': { web: 50 } },
      env: { web: { B: 'y' } },
      releases: { web: 'v2 / config 2' },
      replicas: { web: 3 },
      locks: [{ pod: 'web-1', heldBy: 'deploy.rollout web', sinceMs: 10 }],
      stopped: { 'v2 / config 2': 'its gate failed' },
    });
    expect(started).toEqual(before);
  });

  it('names an unknown deployment', () => {
    expect(() => new FaultState(spec()).current('api')).toThrow(/no deployment named api/);
  });
});
