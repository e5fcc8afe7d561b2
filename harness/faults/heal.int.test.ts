// Heals on real containers, through the engine's own timeline runner: a pod paused for a second
// resumes on its timer; a link cut with no duration and a toxic left in place are undone at tear-down.
// Each heal is an action.healed event, and the read-back (Docker, Toxiproxy) shows it took effect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf, HistoryEvent } from '../history/events.ts';
import { MemoryHistory } from '../history/memory-history.ts';
import { MetricsFold } from '../metrics/fold.ts';
import { applyHarnessEnv } from '../platform/env.ts';
import { LiveConditionEvaluator } from '../run/live-conditions.ts';
import { runTimeline } from '../run/timeline.ts';
import { timelineActionSchema, type TimelineActionInput } from '../scenario/actions.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { StartedTopology } from '../topology/topology.ts';
import { FaultState } from './fault-state.ts';
import { PendingHeals } from './heals.ts';
import { listToxics, proxyEnabled } from './link.ts';
import { testTopology } from '../topology/testing/test-topology.ts';

applyHarnessEnv();
const fixture = testTopology('heal');
let topo: StartedTopology;

beforeAll(async () => {
  topo = await fixture.start({
    redis: true,
    deployments: [{ name: 'web', roles: ['ws', 'rest'], replicas: 1, appVersion: 'v1', env: {}, memoryMb: 128, restartPolicy: 'no' }],
    links: { redis: true },
  });
});

afterAll(async () => {
  await fixture.stop();
});

const healedOf = (events: HistoryEvent[]) => events.filter((e): e is EventOf<'action.healed'> => e.type === 'action.healed');

describe('heals', () => {
  it('a timed pause resumes on its timer; a cut link and a toxic are undone at tear-down, each recorded', async () => {
    const history = new MemoryHistory();
    const shared = {
      scenario: {} as ResolvedScenario,
      topology: topo,
      history,
      state: new FaultState(topo.spec),
      signal: new AbortController().signal,
      conditions: new LiveConditionEvaluator({ fold: new MetricsFold(), now: () => history.now(), alerts: [], topology: () => topo }),
    };
    const timeline: TimelineActionInput[] = [
      { at: 0, type: 'pod.pause', target: 'web/0', params: { durationS: 1 } },
      { at: 0, type: 'toxic.add', target: 'redis', params: { name: 'slow', kind: 'latency', attributes: { latency: 50 } } },
      { at: 0, type: 'proxy.disable', target: 'redis' },
    ];
    const heals = new PendingHeals();
    await runTimeline(shared, timeline.map((a) => timelineActionSchema.parse(a)), history.now(), heals);
    const { apiUrl } = topo.toxiproxy!;
    const pod = topo.pods('web')[0]!;

    // Applied: the pod is paused, the link cut and slowed, as Docker and Toxiproxy report.
    const applied = (await all(history)).filter((e) => e.type === 'action.applied');
    expect(applied.map((e) => e.action)).toEqual(['pod.pause', 'toxic.add', 'proxy.disable']);
    expect(await proxyEnabled(apiUrl, 'redis')).toBe(false);
    expect((await listToxics(apiUrl, 'redis')).map((t) => t.name)).toEqual(['slow']);

    // The pause's own timer resumes it, before any tear-down.
    await expect.poll(async () => (await pod.state()).status, { timeout: 10_000, interval: 100 }).toBe('running');
    await expect.poll(async () => healedOf(await all(history)).length, { timeout: 5_000, interval: 100 }).toBe(1);
    expect(healedOf(await all(history))[0]).toMatchObject({ index: 0, action: 'pod.pause', trigger: 'timer', ok: true, heal: 'unpause web/0', evidence: { pods: [{ pod: 'web-1', status: 'running' }] } });
    expect(await proxyEnabled(apiUrl, 'redis')).toBe(false);

    // Tear-down heals the rest, once each, latest first.
    await heals.healAll();
    await heals.healAll();
    const healed = healedOf(await all(history));
    expect(healed.map((h) => [h.index, h.action, h.trigger, h.ok])).toEqual([
      [0, 'pod.pause', 'timer', true],
      [2, 'proxy.disable', 'teardown', true],
      [1, 'toxic.add', 'teardown', true],
    ]);
    expect(healed[1]).toMatchObject({ heal: 're-enable link redis', evidence: { link: 'redis', enabled: true } });
    expect(await proxyEnabled(apiUrl, 'redis')).toBe(true);
    expect(await listToxics(apiUrl, 'redis')).toEqual([]);
  });
});

async function all(history: MemoryHistory): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  for await (const e of history.events()) out.push(e);
  return out;
}
