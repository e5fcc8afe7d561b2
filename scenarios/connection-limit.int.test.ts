// The 2021-09 replay through the real CLI: verdicts, and the evidence that the mechanism really ran
// (new pods held at their cap while the weights moved, refused clients on old or the fallback, the
// new deployment's own alert silent), read from the run's history and summary.
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../harness/history/events.ts';
import { queueCounts } from '../harness/verdict/limit.ts';
import { churnEvidence, clientOutcomes, expectChurnHeldOnLiveHeap, failuresByReason, finalPodStates, liveHeapSamplesPerPod, maxPerPod, podSamples } from './testing/evidence.ts';
import { replayInTest, slo } from './testing/replay.ts';
import scenario from './connection-limit.ts';

const NEW_POD_CAP = 4;
/** old 2 + new 2 + fallback 1; the remediated fallback has a second pod, the one its queue check fills. */
const PODS = { incident: 5, remediated: 6 };
const NEW_PODS = 2;
const LIVE_HEAP_THRESHOLD = 'value<=5';
const wsOf = (s: { connections: Partial<Record<string, number>> }) => s.connections.ws;


describe('connection-limit (2021-09: a per-pod connection cap during a gradual roll-out)', () => {
  it('incident: refused clients pile onto old and the fallback; the fallback slows; the new deployment looks fine', async () => {
    const r = await replayInTest('connection-limit', 'incident');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('reproduced');
    for (const id of ['conn-success', 'fallback-latency', 'detection']) expect(slo(r, id).status).toBe('fail');
    // The incident is the 2021 day as it was: no churn, and no memory SLO (it judges the remediation).
    expect((await churnEvidence(r)).departures).toBe(0);
    expect(r.summary.slos.map((s) => s.id)).not.toContain('memory-under-churn');
    // Its pods do not sample their live heap (a forced collection each time): no such evidence.
    expect(liveHeapSamplesPerPod(await podSamples(r))).toEqual({});

    // The roll-out really moved the edge: the last shift read back 70% new from HAProxy's map.
    const shifts = r.summary.actions.filter((a) => a.type === 'weights.shift');
    expect(shifts.map((a) => a.appliedAtS !== null)).toEqual([true, true, true, true, true]);
    expect((shifts.at(-1)?.evidence?.readBack as Record<string, Record<string, number>>)['public/ws']).toEqual({ old: 30, new: 70 });

    // The new pods never held more than their cap; the old ones took everyone else.
    const samples = await podSamples(r);
    const onNew = Object.values(maxPerPod(samples, 'new', wsOf, NEW_PODS));
    for (const n of onNew) expect(n).toBeLessThanOrEqual(NEW_POD_CAP);
    expect(Math.max(...Object.values(maxPerPod(samples, 'old', wsOf, 2)))).toBeGreaterThan(100);

    // Refused upgrades: each new pod counted them itself (max_connections); it drops the socket and
    // the edge answers 502 (a browser shows 1006).
    const final = finalPodStates(r, PODS.incident);
    for (const pod of ['new-1', 'new-2']) expect(final[pod]?.counters?.refusedByReason.max_connections, pod).toBeGreaterThan(20);
    const outcomes = await clientOutcomes(r);
    expect(failuresByReason(outcomes)['http:502']).toBeGreaterThan(50);
    // Clients fell back to HTTP, and the fallback queued them.
    const fellBack = outcomes.filter((o) => o.ok && o.transport !== 'ws');
    expect(fellBack.length).toBeGreaterThan(20);
    expect(slo(r, 'fallback-latency').value).toBeGreaterThan(1500);
    // The monitors of the incident read only the new deployment, and stayed silent.
    expect(r.summary.alerts).toEqual([]);
  });

  it('remediated: the cap fixed, nobody is refused, the fallback stays idle and fast', async () => {
    const r = await replayInTest('connection-limit', 'remediated');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('held');
    expect(r.summary.slos.length).toBeGreaterThanOrEqual(scenario.slos.length);
    for (const s of r.summary.slos) expect(s.status, `${s.id}: ${s.detail}`).toBe('pass');

    // Churn ran (10% of the clients leaving and coming back each second from 20 s), none of it a drop,
    // and memory held still at a constant connection count while it did.
    // The live heap, sampled every 2 s by every pod (a sample every second read is new, none repeated).
    await expectChurnHeldOnLiveHeap(r, {
      minClientsChurned: 500,
      threshold: LIVE_HEAP_THRESHOLD,
      window: [90, 130],
      pods: ['fallback-1', 'fallback-2', 'new-1', 'new-2', 'old-1', 'old-2'],
      minSamplesPerPod: 50,
    });
    expect(r.summary.slos.map((s) => s.id)).not.toContain('working-set-under-churn');

    // The same roll-out, and the new pods took their share: far more than the old cap.
    const samples = await podSamples(r);
    for (const n of Object.values(maxPerPod(samples, 'new', wsOf, NEW_PODS))) expect(n).toBeGreaterThan(10 * NEW_POD_CAP);
    const outcomes = await clientOutcomes(r);
    expect(failuresByReason(outcomes)['http:502'] ?? 0).toBe(0);
    const final = finalPodStates(r, PODS.remediated);
    // The only refusals on new are the cap probe's, on the pod it filled, at the configured cap:
    // no client was ever refused.
    const history = await r.history();
    const capRefused = history.filter((e) => e.type === 'connect.outcome' && String(e.client).startsWith('new-cap/') && e.ok === false);
    expect(capRefused.length).toBeGreaterThan(0);
    const checked = history.find((e) => e.type === 'limit.checked') as { pod: string; openBefore: number; admitted: number; limit: number } | undefined;
    expect(checked).toBeDefined();
    expect(Math.abs(checked!.openBefore + checked!.admitted - checked!.limit)).toBeLessThanOrEqual(2);
    expect(slo(r, 'new-cap-boundary').detail).toMatch(/refusal close:1006 .*3 of 3 admitted connections received/);
    for (const pod of ['new-1', 'new-2']) expect(final[pod]?.counters?.refusedByReason.max_connections ?? 0, pod).toBe(pod === checked!.pod ? capRefused.length : 0);
    expect(failuresByReason(outcomes)['close:1006'] ?? 0).toBe(0);
    expect(outcomes.filter((o) => o.transport !== 'ws')).toHaveLength(0);
    // The per-transport fallback probes measured the fallback alone, on every transport.
    const probed = new Set(r.summary.delivery.filter((d) => d.deployment === 'fallback' && d.received > 0).map((d) => d.transport));
    expect([...probed].sort()).toEqual(['xhr_polling', 'xhr_streaming']);

    // The fallback's queue checked at its boundary on the spare pod: 8 served + 40 waiting admitted, the
    // rest refused with 503, served in arrival order, and the sampled admitted sessions received.
    const queue = history.filter((e): e is EventOf<'queue.checked'> => e.type === 'queue.checked');
    expect(queue).toHaveLength(1);
    const q = queueCounts(queue[0]!);
    expect(q).toMatchObject({ limit: 48, admittedBeforeRefusal: 48, refusal: 'http:503', overtook: 0, brokenOpens: 0 });
    expect(queue[0]!.requests.length).toBe(56);
    expect(queue[0]).toMatchObject({ checked: 3, working: 3, queuedAtRefusal: 40 });
    expect(slo(r, 'fallback-queue-boundary')).toMatchObject({ status: 'pass', value: 0 });
    // It filled the pod the pinned fallback probes do not use: theirs refused nobody.
    const pinned = new Set(history.filter((e) => e.type === 'probe.received' && e.deployment === 'fallback').map((e) => (e as { pod?: string }).pod));
    expect(pinned.size).toBe(1);
    expect(pinned.has(queue[0]!.pod)).toBe(false);
    // The new pod's subscriber left and rejoined its channel every 3 s and lost nothing (new-ws-lost passed above).
    const rejoins = history.filter((e) => e.type === 'probe.rejoined' && e.probe === 'new-ws');
    expect(rejoins.length).toBeGreaterThanOrEqual(15);
    expect(rejoins.every((e) => (e as { ok: boolean }).ok)).toBe(true);
    expect(slo(r, 'new-ws-lost')).toMatchObject({ status: 'pass', value: 0 });
    for (const pod of ['fallback-1', 'fallback-2']) {
      expect(final[pod]?.counters?.refusedByReason.fallback_queue ?? 0, pod).toBe(pod === queue[0]!.pod ? queue[0]!.refusedByServer.fallback_queue : 0);
    }
  });
});
