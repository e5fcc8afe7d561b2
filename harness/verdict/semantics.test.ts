import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { observeSync } from '../metrics/fold.ts';
import type { DeliveryCheck, Slo, WebhookCheck } from '../scenario/schema.ts';
import { judgeSlo } from './slo.ts';

// Delivery and webhook semantics judged on constructed histories: what the gate must turn red on.

const delivery = (probe: string, check: DeliveryCheck, window?: { from: number; to: number }): Slo => ({ id: `${probe}-${check}`, title: 't', why: 'w', kind: 'delivery', probe, check, threshold: 'count==0', window });
const webhook = (probe: string, check: WebhookCheck): Slo => ({ id: `${probe}-${check}`, title: 't', why: 'w', kind: 'webhook', probe, check, threshold: 'count==0', window: undefined });

const sent = (t: number, seq: number, probe = 'a'): HistoryEvent => ({ type: 'probe.sent', t, probe, transport: 'ws', seq });
const recv = (t: number, seq: number, subscriber = 'sub-1', probe = 'a'): HistoryEvent => ({ type: 'probe.received', t, probe, transport: 'ws', seq, latencyMs: 5, subscriber });
const end = (t: number): HistoryEvent => ({ type: 'run.phase', t, phase: 'teardown' });

/** Probe a: seq 0..9 at 1/s; sub-1 gets 0..9 except 4, with 7 before 6 and 8 twice. Probe b: all clean. */
function history(): HistoryEvent[] {
  const h: HistoryEvent[] = [];
  for (let s = 0; s < 10; s++) {
    h.push(sent(s * 1000, s), sent(s * 1000, s, 'b'), recv(s * 1000 + 10, s, 'sub-1', 'b'));
  }
  for (const s of [0, 1, 2, 3, 5, 7, 6, 8, 8, 9]) h.push(recv(s * 1000 + 50 + (s === 6 ? 1000 : 0), s));
  h.push(end(20_000));
  return h;
}

describe('delivery SLOs per probe', () => {
  const obs = observeSync(history(), { deliveryGraceMs: 1000 });

  it('counts each check on its own probe', () => {
    expect(judgeSlo(delivery('a', 'lost'), obs, [])).toMatchObject({ status: 'fail', value: 1, unit: 'count' });
    expect(judgeSlo(delivery('a', 'duplicated'), obs, [])).toMatchObject({ status: 'fail', value: 1 });
    expect(judgeSlo(delivery('a', 'reordered'), obs, [])).toMatchObject({ status: 'fail', value: 1 });
    for (const check of ['lost', 'duplicated', 'reordered'] as const) expect(judgeSlo(delivery('b', check), obs, [])).toMatchObject({ status: 'pass', value: 0 });
  });

  it('says what was counted, out of what, and which messages were lost', () => {
    expect(judgeSlo(delivery('a', 'lost'), obs, []).detail).toBe('1 lost of 10 messages sent on probe a (ws, 1 subscriber stream); first lost: sub-1#4');
  });

  it('judges a window: the loss at second 4 is outside [5 s, 10 s)', () => {
    expect(judgeSlo(delivery('a', 'lost', { from: 5, to: 10 }), obs, [])).toMatchObject({ status: 'pass', value: 0 });
    expect(judgeSlo(delivery('a', 'lost', { from: 0, to: 5 }), obs, [])).toMatchObject({ status: 'fail', value: 1 });
  });

  it('a looser threshold stated by the scenario is honoured', () => {
    expect(judgeSlo({ ...delivery('a', 'lost'), threshold: 'count<=1' }, obs, [])).toMatchObject({ status: 'pass', value: 1 });
  });

  it('a probe that sent nothing is unknown, even when other probes delivered', () => {
    const r = judgeSlo(delivery('c', 'lost'), obs, []);
    expect(r).toMatchObject({ status: 'unknown', value: null });
    expect(r.detail).toMatch(/^no data: probe c sent no message/);
  });

  it('a second subscriber stream is judged too: its loss counts', () => {
    const o = observeSync([sent(0, 0), sent(1000, 1), recv(10, 0, 'sub-1'), recv(1010, 1, 'sub-1'), recv(20, 0, 'sub-2'), end(20_000)], { deliveryGraceMs: 1000 });
    const r = judgeSlo(delivery('a', 'lost'), o, []);
    expect(r).toMatchObject({ status: 'fail', value: 1 });
    expect(r.detail).toContain('2 subscriber streams');
  });
});

describe('webhook SLOs per probe', () => {
  const owed = (t: number, n: number, probe = 'w'): HistoryEvent => ({ type: 'webhook.expected', t, key: `channel_occupied:private-wh-${probe}-${n}`, transport: 'xhr_polling', event: 'channel_occupied', channel: `private-wh-${probe}-${n}`, probe });
  const arrive = (t: number, n: number, probe = 'w'): HistoryEvent => ({ type: 'webhook.received', t, key: `channel_occupied:private-wh-${probe}-${n}`, event: 'channel_occupied', channel: `private-wh-${probe}-${n}`, signatureValid: true, status: 200 });
  // w: 1 arrives, 2 arrives twice, 3 never, 4 came with no activity behind it. v: clean.
  const obs = observeSync([owed(0, 1), arrive(100, 1), owed(0, 2), arrive(100, 2), arrive(1200, 2), owed(0, 3), arrive(2000, 4), owed(0, 1, 'v'), arrive(50, 1, 'v'), end(20_000)], { webhookDeadlineMs: 5000 });

  it('a missing, a duplicated and a stray webhook each fail their SLO, on their probe only', () => {
    for (const check of ['missing', 'duplicated', 'stray'] as const) {
      expect(judgeSlo(webhook('w', check), obs, [])).toMatchObject({ status: 'fail', value: 1 });
      expect(judgeSlo(webhook('v', check), obs, [])).toMatchObject({ status: 'pass', value: 0 });
    }
    expect(judgeSlo(webhook('w', 'duplicated'), obs, []).detail).toBe('1 duplicated of 3 webhooks owed to probe w');
  });

  it('a probe that caused no webhook is unknown for missing, but a stray on its channel still fails', () => {
    const o = observeSync([owed(0, 1), arrive(50, 1), arrive(100, 7, 'x'), end(20_000)], { webhookDeadlineMs: 5000 });
    expect(judgeSlo(webhook('x', 'missing'), o, [])).toMatchObject({ status: 'unknown', value: null });
    expect(judgeSlo(webhook('x', 'stray'), o, [])).toMatchObject({ status: 'fail', value: 1 });
  });
});
