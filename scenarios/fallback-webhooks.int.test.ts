import { describe, expect, it } from 'vitest';
import { finalPodsOf, type FinalPodState } from './testing/evidence.ts';
import { leftoverContainers, replayInTest, slo, type ReplayResult } from './testing/replay.ts';

// Each variant through the real CLI (containers, Redis stream, dispatcher, HAProxy; the receiver
// checks signatures with the `pusher` npm client), judged on summary.json; evidence from the pods'
// own counters (pod.final events) and the gated shift's read-back.
const run = (variant: string) => replayInTest('fallback-webhooks', variant);

type PodFinal = FinalPodState;
/** The migrated deployment's two pods, and the old fallback's one. */
const eksPods = (r: ReplayResult) => finalPodsOf(r, 'fallback-eks', 2);
const fallbackWrites = (p: PodFinal): number => (p.counters?.webhookWrites.xhr_streaming ?? 0) + (p.counters?.webhookWrites.xhr_polling ?? 0);
const transport = (r: ReplayResult, t: string) => r.summary.webhooks.transports.find((x) => x.transport === t)!;
const shift = (r: ReplayResult) => r.summary.actions.find((a) => a.type === 'weights.shift')!;

describe('fallback-webhooks', () => {
  it('incident: WebSocket webhooks all arrive, fallback ones stop after the move; the EKS pods wrote nothing to the stream', async () => {
    const r = await run('incident');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('reproduced');
    expect(slo(r, 'webhooks-ws').status).toBe('pass');
    expect(slo(r, 'webhooks-xhr-streaming').status).toBe('fail');
    expect(slo(r, 'webhooks-xhr-polling').status).toBe('fail');
    expect(slo(r, 'detection').detail).toMatch(/never fired/);
    expect(transport(r, 'xhr_streaming').missing).toBeGreaterThan(50);
    expect(transport(r, 'ws').invalidSignature).toBe(0);
    // Every webhook that came is one a probe's activity caused: none stray, none twice.
    expect(r.summary.webhooks.unexpected).toBe(0);
    expect(r.summary.webhooks.transports.map((t) => t.duplicated)).toEqual([0, 0, 0]);

    // Zero stream writes from the migrated pods, though they served the fallback clients...
    for (const p of eksPods(r)) expect(p.counters && fallbackWrites(p)).toBe(0);
    // ...while the old fallback pod wrote its clients' events before the move.
    expect(fallbackWrites(finalPodsOf(r, 'fallback-old', 1)[0]!)).toBeGreaterThan(0);
    expect(await leftoverContainers()).toBe(0);
  });

  it('remediated: the migrated pods refuse their configuration, the gated move is refused, fallback clients keep their webhooks', async () => {
    const r = await run('remediated');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('held');
    for (const p of eksPods(r)) {
      expect(p.exitCode).toBe(78);
      expect(p.tail.join('\n')).toMatch(/config rejected.*WEBHOOK_STREAM_ENABLED is read only by the ws role/);
    }
    expect(shift(r).evidence).toMatchObject({ shifted: false, gate: { passed: false } });
    expect(transport(r, 'xhr_streaming')).toMatchObject({ missing: 0 });
    // Presence membership both ways, on every client transport: each member_added and member_removed owed arrived.
    const transports = r.summary.webhooks.transports.filter((t) => t.expected > 0);
    expect(transports.map((t) => t.transport).sort()).toEqual(['ws', 'xhr_polling', 'xhr_streaming']);
    for (const t of transports) {
      for (const event of ['member_added', 'member_removed']) {
        expect(t.byEvent[event]?.expected).toBeGreaterThan(5);
        expect(t.byEvent[event]).toMatchObject({ missing: 0 });
        expect(t.byEvent[event]!.received).toBe(t.byEvent[event]!.expected);
      }
    }
    // Each client probe's webhooks judged once and unexplained-free; the candidate that never ran is exempt, with why.
    for (const probe of ['ws-clients', 'xhr-streaming-clients', 'xhr-polling-clients']) {
      for (const check of ['missing', 'duplicated', 'stray']) expect(slo(r, `${probe}-${check}`).status).toBe('pass');
    }
    expect(r.summary.exempt.map((e) => `${e.probe}-${e.check}`)).toEqual(['eks-check-missing', 'eks-check-duplicated', 'eks-check-stray']);
  });

  it('check-only: without validation the per-transport check alone refuses the move, and its alert fires on the candidate', async () => {
    const r = await run('check-only');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('held');
    expect(shift(r).evidence).toMatchObject({ shifted: false, gate: { passed: false } });
    expect(r.summary.alerts.map((a) => a.alert)).toContain('webhook-check');
    // The candidate's missing webhooks are the finding (exempt); it still repeats and invents none.
    expect(slo(r, 'eks-check-duplicated')).toMatchObject({ status: 'pass', value: 0 });
    expect(slo(r, 'eks-check-stray')).toMatchObject({ status: 'pass', value: 0 });
    // The candidate ran and wrote nothing: that is what the check saw.
    for (const p of eksPods(r)) expect(p.counters && fallbackWrites(p)).toBe(0);
  });

  it('correct-migration: the same gate passes a correctly configured deployment, which then carries the fallback webhooks', async () => {
    const r = await run('correct-migration');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('held');
    expect(shift(r).evidence).toMatchObject({ shifted: true, gate: { passed: true }, readBack: { 'public/fallback': { fallback_eks: 100 } } });
    const eksWrites = eksPods(r).reduce((n, p) => n + fallbackWrites(p), 0);
    expect(eksWrites).toBeGreaterThan(0);
    expect(slo(r, 'eks-check-missing')).toMatchObject({ status: 'pass', value: 0 });
  });
});
