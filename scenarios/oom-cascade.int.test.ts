// The 2021-12 replay through the real CLI: verdicts, and the evidence that the mechanism really ran
// (new pods filled to their memory limit and were OOM-killed by the kernel, the edge answered 503
// with no live pod behind it, clients fell back, nobody was paged), read from history and summary.
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../harness/history/events.ts';
import { churnEvidence, clientOutcomes, expectChurnHeldOnLiveHeap, failuresByReason, finalPodStates, liveHeapSamplesPerPod, maxPerPod, podSamples } from './testing/evidence.ts';
import { replayInTest, slo } from './testing/replay.ts';
import scenario from './oom-cascade.ts';

const NEW_POD_MEMORY_MB = 80;
/** old 2 + new 3 + fallback 1, in both variants. */
const PODS = 6;
const NEW_PODS = 3;
const LIVE_HEAP_THRESHOLD = 'value<=5';
const WORKING_SET_THRESHOLD = 'value<=300';


describe('oom-cascade (2021-12: new pods OOM-killed one by one as traffic concentrates)', () => {
  it('incident: every new pod is OOM-killed, the edge answers 503, clients stampede, nobody is paged', async () => {
    const r = await replayInTest('oom-cascade', 'incident');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('reproduced');
    for (const id of ['drops', 'edge-503', 'detection']) expect(slo(r, id).status).toBe('fail');
    expect((await churnEvidence(r)).departures).toBe(0);
    expect(r.summary.slos.map((s) => s.id)).not.toContain('memory-under-churn');
    expect(liveHeapSamplesPerPod(await podSamples(r))).toEqual({});

    // Kernel OOM kills, as Docker saw them: exit 137 with OOMKilled set, on new pods only.
    const final = finalPodStates(r, PODS);
    const killed = Object.entries(final).filter(([, s]) => s.oomKilled);
    expect(killed.map(([pod]) => pod).sort()).toEqual(['new-1', 'new-2', 'new-3']);
    for (const [, s] of killed) expect([s.running, s.exitCode]).toEqual([false, 137]);
    const samples = await podSamples(r);
    expect(samples.some((s) => s.deployment === 'new' && s.state === 'oomKilled')).toBe(true);
    // ...after filling up with connections, close to the limit: memory, not a signal, killed them.
    for (const mb of Object.values(maxPerPod(samples, 'new', (s) => s.memoryMb, NEW_PODS))) expect(mb).toBeGreaterThan(0.8 * NEW_POD_MEMORY_MB);
    for (const n of Object.values(maxPerPod(samples, 'new', (s) => s.connections.ws, NEW_PODS))) expect(n).toBeGreaterThan(40);
    // No restart: they stay dead to the end.
    expect(samples.filter((s) => s.deployment === 'new').at(-1)?.state).toBe('oomKilled');

    // The edge had no live new pod: real HAProxy 503s; clients dropped, retried and some fell back.
    const outcomes = await clientOutcomes(r);
    expect(failuresByReason(outcomes)['http:503']).toBeGreaterThan(100);
    expect(outcomes.filter((o) => o.ok && o.transport !== 'ws').length).toBeGreaterThan(0);
    expect(slo(r, 'drops').value).toBeGreaterThan(0.1);
    // The weights were moved to old only by the late manual step; the old-only alert never fired.
    expect(r.summary.actions.at(-1)?.label).toBe('noticed: DNS 100% to old');
    expect(r.summary.alerts).toEqual([]);
  });

  it('remediated: pods sized for their share are never killed; nothing drops', async () => {
    const r = await replayInTest('oom-cascade', 'remediated');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('held');
    expect(r.summary.slos.length).toBeGreaterThanOrEqual(scenario.slos.length);
    for (const s of r.summary.slos) expect(s.status, `${s.id}: ${s.detail}`).toBe('pass');

    const final = finalPodStates(r, PODS);
    expect(Object.values(final).filter((s) => s.oomKilled || !s.running)).toEqual([]);
    const samples = await podSamples(r);
    expect(samples.filter((s) => s.state !== 'running')).toEqual([]);
    // The new pods carried more connections than the incident's pods could hold, within their memory.
    for (const n of Object.values(maxPerPod(samples, 'new', (s) => s.connections.ws, NEW_PODS))) expect(n).toBeGreaterThan(70);
    expect(failuresByReason(await clientOutcomes(r))['http:503'] ?? 0).toBe(0);

    // Churn ran (10% of the clients leaving and coming back each second from 12 s), none of it a
    // drop, and the fleet's memory held still at a constant connection count while it did.
    // The live heap (the padding is outside it), sampled every 2 s by every pod; and the working set,
    // where a pod keeping the padding of closed connections would show.
    await expectChurnHeldOnLiveHeap(r, {
      minClientsChurned: 400,
      threshold: LIVE_HEAP_THRESHOLD,
      window: [60, 110],
      pods: ['fallback-1', 'new-1', 'new-2', 'new-3', 'old-1', 'old-2'],
      minSamplesPerPod: 40,
    });
    expect(slo(r, 'working-set-under-churn')).toMatchObject({ kind: 'gauge-trend', status: 'pass', threshold: WORKING_SET_THRESHOLD });
    expect(slo(r, 'working-set-under-churn').detail).toMatch(/pod\.memoryMb per minute in \[60 s, 110 s\), per all matching pods summed: all pods: [-+]\d+\.\d+ over \d+\+ samples per pod holding connections/);

    // The memory size checked at its boundary: one new pod filled to the connections it was sized for,
    // held without an OOM kill, its peak near the model's prediction, the planned headroom free.
    const fills = (await r.history()).filter((e): e is EventOf<'memory.checked'> => e.type === 'memory.checked');
    expect(fills).toHaveLength(1);
    const fill = fills[0]!;
    expect(fill.refusal).toBeUndefined();
    expect(fill.openBefore + fill.admitted).toBeGreaterThanOrEqual(fill.sizedFor);
    expect(fill.heldToMs - fill.heldFromMs).toBeGreaterThanOrEqual(3000);
    const held = samples.filter((s) => s.pod === fill.pod && s.t >= fill.heldFromMs && s.t <= fill.heldToMs);
    expect(held.length).toBeGreaterThanOrEqual(2);
    for (const s of held) expect(s.connections.ws ?? 0).toBeGreaterThanOrEqual(fill.sizedFor);
    const headroom = slo(r, 'new-memory-headroom');
    expect(headroom.status).toBe('pass');
    expect(headroom.detail).toMatch(new RegExp(`held \\d+ connections \\(sized for ${fill.sizedFor}\\).*no OOM kill`));
  });
});
