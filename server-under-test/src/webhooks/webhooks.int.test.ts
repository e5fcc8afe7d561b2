/** Webhooks end to end: real pusher-js clients cause events; the `pusher` client validates them. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StartedPod } from '../pod.ts';
import { connected, pusherJs, restClient, subscribed, type Presence, type PusherJsClient } from '../testing/clients.ts';
import { startTestPod } from '../testing/pods.ts';
import { startRedis, type StartedRedis } from '../testing/redis-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';

const clients: PusherJsClient[] = [];
const pods: StartedPod[] = [];
let receiver: WebhookReceiver;
let redis: StartedRedis;

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const p of pods.splice(0)) await p.stop();
  await receiver?.close();
});
afterAll(async () => {
  await redis?.stop();
});

const names = (r: WebhookReceiver): string[] => r.events().map((e) => `${e.name}:${e.channel}${e.user_id ? `:${e.user_id}` : ''}${e.event ? `:${e.event}` : ''}`);

describe('webhooks', () => {
  it('standalone pod: occupied, member_added, client_event, member_removed, vacated; signed and valid', async () => {
    receiver = await startWebhookReceiver();
    const pod = await startTestPod({ WEBHOOK_URL: receiver.url });
    pods.push(pod);
    const a = pusherJs(pod, 'ws', { id: 'amy' });
    const b = pusherJs(pod, 'ws', { id: 'bo' });
    clients.push(a, b);
    await Promise.all([connected(a), connected(b)]);
    const chA = await subscribed<Presence>(a, 'presence-hooks');
    await subscribed<Presence>(b, 'presence-hooks');
    chA.trigger('client-ping', { x: 1 });
    await expect.poll(() => names(receiver)).toContain('client_event:presence-hooks:amy:client-ping');
    b.disconnect();
    a.disconnect();
    await expect.poll(() => names(receiver)).toContain('channel_vacated:presence-hooks');
    expect(names(receiver)).toEqual([
      'channel_occupied:presence-hooks',
      'member_added:presence-hooks:amy',
      'member_added:presence-hooks:bo',
      'client_event:presence-hooks:amy:client-ping',
      expect.stringMatching(/^member_removed:presence-hooks:(amy|bo)$/),
      expect.stringMatching(/^member_removed:presence-hooks:(amy|bo)$/),
      'channel_vacated:presence-hooks',
    ]);
    const rest = restClient(pod);
    for (const w of receiver.received) {
      expect(w.headers['content-type']).toBe('application/json');
      expect(w.headers['x-pusher-key']).toBe('test-key');
      expect(rest.webhook({ headers: w.headers as Record<string, string>, rawBody: w.rawBody }).isValid()).toBe(true);
      expect(restClient(pod, { secret: 'other' }).webhook({ headers: w.headers as Record<string, string>, rawBody: w.rawBody }).isValid()).toBe(false);
    }
    const ce = receiver.events().find((e) => e.name === 'client_event')!;
    expect(ce).toMatchObject({ data: '{"x":1}', socket_id: expect.stringMatching(/^\d+\.\d+$/) });
  });

  it('over Redis with a separate dispatcher pod: nothing is lost while the receiver is briefly down', async () => {
    receiver = await startWebhookReceiver();
    receiver.failNext(3);
    const edge = await startTestPod({ REDIS_URL: redis.url, POD_NAME: 'edge', ROLES: 'ws,fallback,rest', WEBHOOK_STREAM: 'hooks-1' });
    const disp = await startTestPod({ REDIS_URL: redis.url, POD_NAME: 'disp', ROLES: 'webhook-dispatcher', WEBHOOK_URL: receiver.url, WEBHOOK_STREAM: 'hooks-1' });
    pods.push(edge, disp);
    const c = pusherJs(edge, 'ws');
    clients.push(c);
    await connected(c);
    for (let i = 0; i < 5; i++) await subscribed(c, `ch-${i}`);
    await expect.poll(() => receiver.events().length, { timeout: 15_000 }).toBe(5);
    expect(receiver.refused).toBe(3);
    expect(names(receiver).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `channel_occupied:ch-${i}`));
  });
});

describe('switch WEBHOOK_STREAM_ENABLED / FALLBACK_STREAM_WRITES (2022-08)', () => {
  async function run(env: Record<string, string>): Promise<{ ws: string[]; fallback: string[] }> {
    receiver = await startWebhookReceiver();
    const pod = await startTestPod({ REDIS_URL: redis.url, POD_NAME: 'mixed', WEBHOOK_URL: receiver.url, WEBHOOK_STREAM: `hooks-${Math.random()}`, ...env });
    pods.push(pod);
    const viaFallback = pusherJs(pod, 'xhr_streaming');
    const viaWs = pusherJs(pod, 'ws');
    clients.push(viaFallback, viaWs);
    await Promise.all([connected(viaFallback), connected(viaWs)]);
    await subscribed(viaFallback, 'from-fallback');
    await subscribed(viaWs, 'from-ws');
    // the ws event was written after the fallback one: once it arrived, the fallback one had its chance
    await expect.poll(() => names(receiver)).toContain('channel_occupied:from-ws');
    const all = names(receiver);
    return { ws: all.filter((n) => n.endsWith('from-ws')), fallback: all.filter((n) => n.endsWith('from-fallback')) };
  }

  it('healthy default: webhooks for clients on both transports', async () => {
    expect(await run({})).toEqual({ ws: ['channel_occupied:from-ws'], fallback: ['channel_occupied:from-fallback'] });
  });

  it('FALLBACK_STREAM_WRITES=false: no webhooks for fallback clients, ws unaffected', async () => {
    expect(await run({ FALLBACK_STREAM_WRITES: 'false' })).toEqual({ ws: ['channel_occupied:from-ws'], fallback: [] });
  });
});
