import { afterEach, describe, expect, it } from 'vitest';
import { MemoryHistory } from '../history/memory-history.ts';
import type { EventOf, HistoryEvent } from '../history/events.ts';
import { startServerProcess, TEST_APP, eventually, type ServerProcess } from '../load/testing/server-process.ts';
import { startRedisProcess, type RedisProcess } from '../load/testing/redis-process.ts';
import { sleep } from '../load/timing.ts';
import { startDeliveryProbe } from './delivery-probe.ts';
import { startRestProbe, type StartedRestProbe } from './rest-probe.ts';
import { startWebhookProbe } from './webhook-probe.ts';
import { startWebhookReceiver, type StartedWebhookReceiver } from './webhook-receiver.ts';
import type { ProbeContext, StartedProbe } from './probe.ts';

const servers: ServerProcess[] = [];
const probes: StartedProbe[] = [];
const receivers: StartedWebhookReceiver[] = [];
const redises: RedisProcess[] = [];
afterEach(async () => {
  await Promise.all(probes.splice(0).map((p) => p.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  await Promise.all(redises.splice(0).map((r) => r.stop()));
});

async function pod(env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await startServerProcess(env);
  servers.push(s);
  return s;
}

function context(history: MemoryHistory, s: ServerProcess, maxDurationS = 30): ProbeContext {
  const endpoint = { port: s.port, deployment: 'solo', pod: s.pod };
  return { history, app: TEST_APP, targets: { edge: { port: s.port }, podOf: (d) => (d === 'solo' ? endpoint : undefined) }, maxDurationS };
}

function ofType<T extends HistoryEvent['type']>(h: MemoryHistory, type: T): EventOf<T>[] {
  return h.list().filter((e): e is EventOf<T> => e.type === type);
}

describe('delivery probe', () => {
  it.each(['ws', 'xhr_streaming', 'xhr_polling'] as const)('%s, pinned to a pod, 3 s: every message reaches every subscriber once, in order', async (transport) => {
    const s = await pod();
    const h = new MemoryHistory();
    const p = startDeliveryProbe({ kind: 'delivery', id: `d-${transport}`, transport, deployment: 'solo', ratePerS: 10, subscribers: 2 }, context(h, s));
    probes.push(p);
    await sleep(3000);
    await p.stop();
    probes.length = 0;

    const sent = ofType(h, 'probe.sent').map((e) => e.seq);
    expect(sent.length).toBeGreaterThan(5);
    for (const sub of ['sub-1', 'sub-2']) {
      const got = ofType(h, 'probe.received').filter((e) => e.subscriber === sub);
      expect(got.map((e) => e.seq)).toEqual(sent);
      expect(got.every((e) => e.deployment === 'solo' && e.pod === s.pod && e.transport === transport)).toBe(true);
    }
    const outcomes = ofType(h, 'connect.outcome');
    expect(outcomes.length).toBe(2);
    expect(outcomes.every((o) => o.ok && o.source === 'probe' && o.transport === transport && o.deployment === 'solo')).toBe(true);
  });

  it('a killed pod shows as an abnormal close and refused reconnects', async () => {
    const s = await pod();
    const h = new MemoryHistory();
    const p = startDeliveryProbe({ kind: 'delivery', id: 'd-kill', transport: 'ws', deployment: 'solo', ratePerS: 10, subscribers: 1 }, context(h, s));
    probes.push(p);
    expect(await eventually(() => ofType(h, 'probe.received').length > 2)).toBe(true);
    await s.kill();
    expect(await eventually(() => ofType(h, 'connect.outcome').some((o) => !o.ok && o.reason === 'refused'))).toBe(true);
    expect(ofType(h, 'connect.closed')).toContainEqual(expect.objectContaining({ code: 1006, abnormal: true, by: 'network' }));
  });
});

describe('rest probe', () => {
  async function runRest(env: Record<string, string>, keepAlive: boolean): Promise<{ h: MemoryHistory; p: StartedRestProbe }> {
    const s = await pod(env);
    const h = new MemoryHistory();
    const p = startRestProbe({ kind: 'rest', id: 'r', ratePerS: 25, keepAlive, oversizedEvery: 3, mix: ['publish', 'channel-info'] }, context(h, s));
    probes.push(p);
    // Bounded by count of responses, not by a clock.
    expect(await eventually(() => ofType(h, 'rest.response').length >= 24, 15_000)).toBe(true);
    await p.stop();
    probes.length = 0;
    return { h, p };
  }

  it('KEEPALIVE_DOUBLE_4XX=true on keep-alive: responses belong to other requests, the duplicate is on the wire', async () => {
    const { h, p } = await runRest({ KEEPALIVE_DOUBLE_4XX: 'true' }, true);
    const responses = ofType(h, 'rest.response');
    const misaligned = responses.filter((r) => r.expected !== r.got);
    expect(misaligned.length).toBeGreaterThan(0);
    // The request after the first oversized one reads the copy of its 413.
    expect(responses[3]).toMatchObject({ id: 'r-4', expected: '200 channel-info', got: '413 too-large' });
    // Evidence: the same 413 twice in a row on one connection, raw bytes as received.
    const first = p.wire().evidence[0] ?? [];
    const statuses = first.map((w) => w.status);
    const i = statuses.indexOf(413);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(statuses[i + 1]).toBe(413);
    expect(first[i + 1]!.raw).toMatch(/^HTTP\/1\.1 413 [^]*Event data too large/);
    expect(ofType(h, 'rest.wire').some((w) => w.responses.some((r) => r.status === 413))).toBe(true);
  });

  it('default server on keep-alive: every response matches its request', async () => {
    const { h, p } = await runRest({}, true);
    const responses = ofType(h, 'rest.response');
    expect(responses.filter((r) => r.expected !== r.got)).toEqual([]);
    expect(responses.filter((r) => r.status === 413).length).toBe(Math.floor(responses.length / 3));
    expect(new Set(ofType(h, 'rest.request').map((r) => r.connection))).toEqual(new Set(['c1']));
    expect(p.wire().evidence).toEqual([]);
    expect(p.wire().recent.length).toBeGreaterThan(0);
  });

  it('KEEPALIVE_DOUBLE_4XX=true without keep-alive: the defect stays masked', async () => {
    const { h } = await runRest({ KEEPALIVE_DOUBLE_4XX: 'true' }, false);
    expect(ofType(h, 'rest.response').filter((r) => r.expected !== r.got)).toEqual([]);
  });
});

describe('webhook probe and receiver', () => {
  const events = ['channel_occupied', 'member_added', 'client_event', 'member_removed', 'channel_vacated'] as const;

  async function setUp(env: Record<string, string> = {}): Promise<{ h: MemoryHistory; ctx: ProbeContext }> {
    const h = new MemoryHistory();
    const receiver = await startWebhookReceiver({ history: h, app: TEST_APP });
    receivers.push(receiver);
    const s = await pod({ WEBHOOK_URL: receiver.url, ...env });
    return { h, ctx: context(h, s) };
  }

  it.each(['ws', 'xhr_streaming', 'xhr_polling'] as const)('%s: every expected webhook arrives with a valid signature', async (transport) => {
    const { h, ctx } = await setUp();
    const p = startWebhookProbe({ kind: 'webhook', id: `w-${transport}`, transport, deployment: 'solo', events: [...events], ratePerS: 4 }, ctx);
    probes.push(p);
    expect(await eventually(() => ofType(h, 'webhook.expected').length >= 10, 15_000)).toBe(true);
    await p.stop();
    probes.length = 0;
    const expected = ofType(h, 'webhook.expected').filter((e) => e.owed !== false); // owed ones; the rest are only explained
    expect(new Set(expected.map((e) => e.event))).toEqual(new Set(events));
    const allArrived = (): boolean => {
      const got = new Set(ofType(h, 'webhook.received').map((r) => r.key));
      return expected.every((e) => got.has(e.key));
    };
    expect(await eventually(allArrived, 10_000)).toBe(true);
    expect(ofType(h, 'webhook.received').every((r) => r.signatureValid)).toBe(true);
  });

  it('FALLBACK_STREAM_WRITES=false (2022-08): fallback webhooks are expected and never arrive', async () => {
    const { h, ctx } = await setUp({ FALLBACK_STREAM_WRITES: 'false' });
    const p = startWebhookProbe({ kind: 'webhook', id: 'w-off', transport: 'xhr_streaming', events: ['channel_occupied'], ratePerS: 4 }, ctx);
    probes.push(p);
    expect(await eventually(() => ofType(h, 'webhook.expected').length >= 4, 15_000)).toBe(true);
    await p.stop();
    probes.length = 0;
    // A ws activity afterwards proves the dispatcher and receiver work: only the fallback is silent.
    const q = startWebhookProbe({ kind: 'webhook', id: 'w-on', transport: 'ws', events: ['channel_occupied'], ratePerS: 4 }, ctx);
    probes.push(q);
    expect(await eventually(() => ofType(h, 'webhook.received').length >= 2, 15_000)).toBe(true);
    expect(ofType(h, 'webhook.received').every((r) => r.channel.includes('-w-on-'))).toBe(true);
  });

  it('through Redis: a fallback pod writes the stream, a separate dispatcher pod delivers to the receiver', async () => {
    const redis = await startRedisProcess();
    redises.push(redis);
    const h = new MemoryHistory();
    const receiver = await startWebhookReceiver({ history: h, app: TEST_APP });
    receivers.push(receiver);
    const fallback = await pod({ ROLES: 'fallback,rest', REDIS_URL: redis.url });
    await pod({ ROLES: 'webhook-dispatcher', REDIS_URL: redis.url, WEBHOOK_URL: receiver.url });
    const p = startWebhookProbe(
      { kind: 'webhook', id: 'w-redis', transport: 'xhr_streaming', deployment: 'solo', events: ['channel_occupied', 'member_added', 'client_event'], ratePerS: 4 },
      context(h, fallback),
    );
    probes.push(p);
    expect(await eventually(() => ofType(h, 'webhook.expected').length >= 6, 15_000)).toBe(true);
    await p.stop();
    probes.length = 0;
    const expected = ofType(h, 'webhook.expected').filter((e) => e.owed !== false); // owed ones; the rest are only explained
    const allArrived = (): boolean => {
      const got = new Set(ofType(h, 'webhook.received').filter((r) => r.signatureValid).map((r) => r.key));
      return expected.every((e) => got.has(e.key));
    };
    expect(await eventually(allArrived, 10_000)).toBe(true);
    expect(expected.every((e) => e.transport === 'xhr_streaming' && e.deployment === 'solo')).toBe(true);
  });

  it('a webhook with a wrong signature is recorded as invalid', async () => {
    const h = new MemoryHistory();
    const receiver = await startWebhookReceiver({ history: h, app: TEST_APP });
    receivers.push(receiver);
    const body = JSON.stringify({ time_ms: 1, events: [{ name: 'channel_occupied', channel: 'x' }] });
    const res = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Pusher-Key': TEST_APP.key, 'X-Pusher-Signature': 'f'.repeat(64) },
      body,
    });
    expect(res.status).toBe(200);
    expect(ofType(h, 'webhook.received')).toEqual([expect.objectContaining({ key: 'channel_occupied:x', signatureValid: false })]);
  });
});
