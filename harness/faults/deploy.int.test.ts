// The deploy, env, scale and memory actions on real containers: a strict-config deployment behind the
// HAProxy edge, rolled forward and back, locked, unlocked, re-configured, scaled and OOM-killed. Each
// assertion reads the evidence the action returned, which it read back from the pods, Docker and HAProxy.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryHistory } from '../history/memory-history.ts';
import { MetricsFold } from '../metrics/fold.ts';
import { applyHarnessEnv } from '../platform/env.ts';
import { LiveConditionEvaluator } from '../run/live-conditions.ts';
import type { EventOf, HistoryEvent } from '../history/events.ts';
import type { ActionParamsInput, ActionType } from '../scenario/actions.ts';
import { timelineActionSchema } from '../scenario/actions.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { loggedContainerEvents } from '../topology/container-events.ts';
import type { StartedTopology } from '../topology/topology.ts';
import { FaultState } from './fault-state.ts';
import { FaultError, type Evidence, type FaultContext } from './fault.ts';
import { actionOf } from './registry.ts';
import { testTopology } from '../topology/testing/test-topology.ts';

applyHarnessEnv();
const all = async (): Promise<HistoryEvent[]> => {
  const out: HistoryEvent[] = [];
  for await (const e of history.events()) out.push(e);
  return out;
};
const ofType = <T extends HistoryEvent['type']>(events: HistoryEvent[], type: T) => events.filter((e): e is EventOf<T> => e.type === type);
const fixture = testTopology('deploy');
const C1 = { activityTimeout: 120 };
const C2 = { activityTimeout: 120, metricsServiceAddress: 'metrics.internal:8125' };
let topo: StartedTopology;
let ctx: Omit<FaultContext, 'action'>;
const history = new MemoryHistory();
let index = 0;

/** Applies one timeline action as the engine does (params through the schema, defaults filled). */
async function act<T extends ActionType>(type: T, target: string, params: ActionParamsInput<T>): Promise<{ ok: boolean; evidence: Evidence; error?: string }> {
  const action = timelineActionSchema.parse({ at: 0, type, target, params });
  try {
    return { ok: true, evidence: await actionOf(type).apply({ ...ctx, action: { index: index++, type, target } }, target, action.params) };
  } catch (err) {
    if (!(err instanceof FaultError)) throw err;
    return { ok: false, evidence: err.evidence ?? {}, error: err.message };
  }
}

type Pod = { pod: string; outcome: string; version?: string; configVersion?: string; exitCode?: number; logLine?: string; lockedBy?: string };
const pods = (e: Evidence) => e.pods as Pod[];

beforeAll(async () => {
  topo = await fixture.start({
    redis: true,
    deployments: [
      {
        name: 'web',
        roles: ['ws', 'rest'],
        replicas: 2,
        appVersion: 'v1',
        config: { version: '1', values: C1 },
        env: { CONFIG_UNKNOWN_KEYS: 'reject' },
        memoryMb: 160,
        restartPolicy: 'no',
      },
      { name: 'leaky', roles: ['rest'], replicas: 1, appVersion: 'v1', env: {}, memoryMb: 96, restartPolicy: 'no' },
    ],
    edge: {
      listeners: [{ name: 'public', mode: 'keep-alive', routes: { ws: { web: 100 }, rest: { web: 100 } } }],
      healthCheck: { enabled: true, intervalMs: 300, fall: 2, rise: 1 },
      maxconn: 1000,
    },
  });
  ctx = {
    scenario: {} as ResolvedScenario,
    topology: topo,
    history,
    state: new FaultState(topo.spec),
    signal: new AbortController().signal,
    conditions: new LiveConditionEvaluator({ fold: new MetricsFold(), now: () => history.now(), alerts: [], topology: () => topo }),
  };
});

afterAll(async () => {
  await fixture.stop();
});

describe('deploy.rollout / deploy.rollback / deploy.unlock', () => {
  it('rolls a new app and config version out pod by pod; each new container keeps its port and reports the release', async () => {
    const before = topo.pods('web').map((p) => ({ id: p.id, port: p.spec.port }));
    const r = await act('deploy.rollout', 'web', {
      appVersion: 'v2',
      config: C2,
      configVersion: '2',
      podIntervalS: 0.5,
      gate: { condition: { kind: 'pods.ready', deployment: 'web', count: 2 }, timeoutS: 10 },
    });
    expect(r.ok, r.error).toBe(true);
    expect(pods(r.evidence).map((p) => [p.pod, p.outcome, p.version, p.configVersion])).toEqual([
      ['web-1', 'up', 'v2', '2'],
      ['web-2', 'up', 'v2', '2'],
    ]);
    expect((r.evidence.gates as { passed: boolean }[]).map((g) => g.passed)).toEqual([true, true]);
    expect(r.evidence.locksLeft).toEqual([]);
    const after = topo.pods('web');
    expect(after.map((p) => p.spec.port)).toEqual(before.map((p) => p.port));
    expect(after.map((p) => p.id)).not.toContain(before[0]!.id);
  });

  it('an app-only rollback under strict config parsing: v1 refuses config 2, exits 78, and the deploy locks stay', async () => {
    const r = await act('deploy.rollback', 'web', { scope: 'app' });
    expect(r.ok).toBe(false);
    expect(r.evidence.to).toBe('v1 / config 2');
    expect(pods(r.evidence)).toHaveLength(2);
    for (const p of pods(r.evidence)) {
      expect(p.outcome).toBe('refused');
      expect(p.exitCode).toBe(78);
      expect(p.logLine).toMatch(/config rejected.*v1 does not know config key\(s\) metricsServiceAddress/);
    }
    expect(r.evidence.locksLeft).toEqual(['web-1', 'web-2']);
    expect(Object.values(r.evidence.running as Record<string, string>)).toEqual(['down', 'down']);
  });

  it('a rollback that honours locks skips the locked pods until the locks are cleared', async () => {
    const blocked = await act('deploy.rollback', 'web', { scope: 'app+config', respectLock: true });
    expect(blocked.ok).toBe(false);
    expect((blocked.evidence.skippedLocked as { pod: string; lockedBy: string }[]).map((s) => s.pod)).toEqual(['web-1', 'web-2']);
    expect((blocked.evidence.skippedLocked as { lockedBy: string }[])[0]!.lockedBy).toMatch(/deploy\.rollback\(app\) web/);
    expect(Object.values(blocked.evidence.running as Record<string, string>)).toEqual(['down', 'down']);

    const unlocked = await act('deploy.unlock', 'web', {});
    expect((unlocked.evidence.cleared as { pod: string }[]).map((l) => l.pod)).toEqual(['web-1', 'web-2']);
    expect(unlocked.evidence.locksLeft).toEqual([]);

    const rerun = await act('deploy.rollback', 'web', { scope: 'app+config', respectLock: true });
    expect(rerun.ok, rerun.error).toBe(true);
    expect(pods(rerun.evidence).map((p) => [p.outcome, p.version, p.configVersion])).toEqual([
      ['up', 'v1', '1'],
      ['up', 'v1', '1'],
    ]);
  });

  it('a failed gate rolls the done pods back (app and config together) and stops the release going further', async () => {
    const r = await act('deploy.rollout', 'web', {
      appVersion: 'v3',
      config: C2,
      configVersion: '2',
      podIntervalS: 0.5,
      // Three ready pods of a two-pod deployment: a gate that cannot pass.
      gate: { condition: { kind: 'pods.ready', deployment: 'web', count: 3 }, timeoutS: 1.5, onFail: 'rollback' },
    });
    expect(r.ok).toBe(false);
    expect(r.evidence.rolledOut).toBe(false);
    expect(pods(r.evidence).map((p) => [p.pod, p.version])).toEqual([['web-1', 'v3']]);
    const back = r.evidence.rolledBack as { to: string; pods: Pod[] };
    expect(back.to).toBe('v1 / config 1');
    expect(back.pods.map((p) => [p.pod, p.outcome, p.version, p.configVersion])).toEqual([['web-1', 'up', 'v1', '1']]);
    expect(r.evidence.running).toEqual({ 'web-1': 'v1 / config 1', 'web-2': 'v1 / config 1' });
    // The same story as typed history events: the gate that failed, the decision, each pod.
    const events = await all();
    const gates = ofType(events, 'gate.checked').filter((g) => g.index === index - 1);
    expect(gates.map((g) => [g.passed, g.afterPods])).toEqual([[false, ['web-1']]]);
    const decided = ofType(events, 'rollback.decided').at(-1);
    expect(decided).toMatchObject({ index: index - 1, deployment: 'web', scope: 'app+config', from: 'v3 / config 2', to: 'v1 / config 1' });
    const deployed = ofType(events, 'deploy.pod').filter((p) => p.deploy.startsWith('gate rollback web'));
    expect(deployed.map((p) => [p.pod, p.outcome, p.version])).toEqual([['web-1', 'up', 'v1']]);

    const again = await act('deploy.rollout', 'web', { appVersion: 'v3', configVersion: '2' });
    expect(again.ok).toBe(false);
    expect(again.error).toMatch(/v3 \/ config 2 not rolled out: its gate failed on web/);
  });
});

describe('pod.env', () => {
  it('restarts one pod with a variable set, read back from the container', async () => {
    const r = await act('pod.env', 'web/1', { set: { LOG_LEVEL: 'warn' } });
    const [p] = r.evidence.pods as (Pod & { env: Record<string, string | null> })[];
    expect(p).toMatchObject({ pod: 'web-2', outcome: 'up', version: 'v1', env: { LOG_LEVEL: 'warn' } });
  });

  it('unsetting a variable removes it from the running container', async () => {
    const r = await act('pod.env', 'web/1', { unset: ['LOG_LEVEL'] });
    expect((r.evidence.pods as { env: Record<string, string | null> }[])[0]!.env).toEqual({ LOG_LEVEL: null });
  });
});

describe('started state', () => {
  it('an env change to a whole deployment is kept in the fault state, not in the frozen spec, and a pod it starts later carries it', async () => {
    const r = await act('pod.env', 'web', { set: { LOG_LEVEL: 'warn' } });
    expect(r.ok, r.error).toBe(true);
    expect((r.evidence.pods as { env: Record<string, string | null> }[]).map((p) => p.env)).toEqual([{ LOG_LEVEL: 'warn' }, { LOG_LEVEL: 'warn' }]);
    expect(topo.deployments.get('web')!.spec.env).toEqual({ CONFIG_UNKNOWN_KEYS: 'reject' });
    expect(Object.isFrozen(topo.deployments.get('web')!.spec.env)).toBe(true);
    expect(ctx.state.current('web').env).toEqual({ CONFIG_UNKNOWN_KEYS: 'reject', LOG_LEVEL: 'warn' });
    const up = await act('deployment.scale', 'web', { replicas: 3 });
    expect(up.ok, up.error).toBe(true);
    expect((await topo.pods('web')[2]!.runningEnv()).LOG_LEVEL).toBe('warn');
    await act('deployment.scale', 'web', { replicas: 2 });
    await act('pod.env', 'web', { unset: ['LOG_LEVEL'] });
  });
});

describe('deployment.scale', () => {
  it('new pods join the edge backend live, removed ones leave it', async () => {
    const up = await act('deployment.scale', 'web', { replicas: 3 });
    expect(up.ok, up.error).toBe(true);
    expect((up.evidence.added as Pod[]).map((p) => [p.pod, p.outcome])).toEqual([['web-3', 'up']]);
    const servers = up.evidence.edgeServers as { backend: string; server: string; status: string }[];
    expect(servers.filter((s) => s.backend === 'dep_web').map((s) => s.server)).toEqual(['web-1', 'web-2', 'web-3']);
    expect(servers.find((s) => s.server === 'web-3')?.status).toMatch(/^UP/);
    expect(topo.pods('web').map((p) => p.spec.name)).toEqual(['web-1', 'web-2', 'web-3']);

    const down = await act('deployment.scale', 'web', { replicas: 1 });
    expect(down.evidence.removed).toEqual(['web-3', 'web-2']);
    expect((down.evidence.edgeServers as { server: string }[]).map((s) => s.server)).toEqual(['web-1']);
    expect(topo.pods('web')).toHaveLength(1);
  });
});

describe('pod.oom', () => {
  it('grows memory inside the pod until the kernel OOM-kills it', async () => {
    const r = await act('pod.oom', 'leaky/0', { growMbPerS: 80 });
    expect(r.ok, r.error).toBe(true);
    const [p] = r.evidence.pods as { pod: string; oomEvent: boolean; oomKilled: boolean; exitCode: number; limitMb: number }[];
    expect(p).toMatchObject({ pod: 'leaky-1', oomEvent: true, oomKilled: true, exitCode: 137, limitMb: 96 });
    // The second witness pod.state() asks when Docker's flag missed the kill: the daemon's event log.
    const pod = topo.pods('leaky')[0]!;
    const startedMs = Date.parse((await pod.state()).startedAt);
    expect([...(await loggedContainerEvents(pod.id, ['oom', 'die'], startedMs))].sort()).toEqual(['die', 'oom']);
  });
});
