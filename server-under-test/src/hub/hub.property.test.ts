/** Hub.message driven by hostile frames: never throws, never closes the client, always answers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../config/env.ts';
import { silentLogger } from '../log.ts';
import { Metrics } from '../metrics.ts';
import { MemoryState } from '../state/memory-state.ts';
import { clientFrame } from '../testing/hostile-arbitraries.ts';
import { MemoryQueue } from '../webhooks/webhook-queue.ts';
import { WebhookWriter } from '../webhooks/webhook-writer.ts';
import type { ClientConnection } from './connection.ts';
import { Hub } from './hub.ts';

describe('Hub.message (property)', () => {
  it('answers hostile frames with pusher:error or a protocol reply and keeps the connection open', async () => {
    const config = testConfig();
    const state = new MemoryState();
    const metrics = new Metrics('p', 'v1');
    const hub = new Hub(config, state, metrics, silentLogger);
    await state.start((m) => hub.deliver(m));
    const writer = new WebhookWriter(new MemoryQueue(), true, metrics, () => {});
    await fc.assert(
      fc.asyncProperty(fc.array(clientFrame, { minLength: 1, maxLength: 8 }), async (frames) => {
        const sent: string[] = [];
        let closedWith: number | undefined;
        const conn: ClientConnection = { transport: 'ws', send: (f) => sent.push(f), close: (code) => (closedWith = code) };
        const c = hub.open(conn, writer);
        for (const f of frames) hub.message(c, f);
        await hub.settle();
        expect(closedWith).toBeUndefined();
        for (const f of sent) expect(typeof (JSON.parse(f) as { event: unknown }).event).toBe('string');
        hub.closed(c);
        await hub.settle();
      }),
      { numRuns: 300 },
    );
    expect(hub.count()).toBe(0);
  });
});

describe('MAX_CHANNELS_PER_CONNECTION', () => {
  it('a connection holds at most the limit; a subscribe beyond it gets pusher:error and is counted', async () => {
    const config = testConfig({ MAX_CHANNELS_PER_CONNECTION: '3' });
    const state = new MemoryState();
    const metrics = new Metrics('p', 'v1');
    const hub = new Hub(config, state, metrics, silentLogger);
    await state.start((m) => hub.deliver(m));
    const sent: { event: string; data?: { message?: string } }[] = [];
    const conn: ClientConnection = { transport: 'ws', send: (f) => sent.push(JSON.parse(f) as (typeof sent)[number]), close: () => {} };
    const c = hub.open(conn, new WebhookWriter(new MemoryQueue(), true, metrics, () => {}));
    for (let i = 0; i < 5; i++) hub.message(c, JSON.stringify({ event: 'pusher:subscribe', data: { channel: `ch-${i}` } }));
    await hub.settle();
    expect(c.channels.size).toBe(3);
    expect(sent.filter((f) => f.event === 'pusher_internal:subscription_succeeded')).toHaveLength(3);
    expect(sent.filter((f) => f.event === 'pusher:error').map((f) => f.data?.message)).toEqual([
      'Subscription to ch-3 refused: at most 3 channels per connection',
      'Subscription to ch-4 refused: at most 3 channels per connection',
    ]);
    expect(await metrics.registry.metrics()).toMatch(/sut_clients_dropped_total\{reason="channel_limit"[^}]*\} 2/);
  });
});
