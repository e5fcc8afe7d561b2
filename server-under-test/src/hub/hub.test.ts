import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testConfig } from '../config/env.ts';
import { silentLogger } from '../log.ts';
import { Metrics } from '../metrics.ts';
import { MemoryState } from '../state/memory-state.ts';
import { MemoryQueue } from '../webhooks/webhook-queue.ts';
import { WebhookWriter } from '../webhooks/webhook-writer.ts';
import { Hub } from './hub.ts';
import type { ClientConnection } from './connection.ts';

class FakeConnection implements ClientConnection {
  readonly transport = 'ws' as const;
  frames: { event: string; data: unknown; channel?: string }[] = [];
  closedWith: number | undefined;
  send(frame: string): void {
    this.frames.push(JSON.parse(frame) as { event: string; data: unknown });
  }
  close(code: number): void {
    this.closedWith = code;
  }
}

let hub: Hub;
let metrics: Metrics;
beforeEach(async () => {
  vi.useFakeTimers();
  const config = testConfig();
  const state = new MemoryState();
  metrics = new Metrics('p', 'v1');
  hub = new Hub(config, state, metrics, silentLogger);
  await state.start((m) => hub.deliver(m));
  hub.start();
});
afterEach(() => {
  hub.stop();
  vi.useRealTimers();
});

const writer = (): WebhookWriter => new WebhookWriter(new MemoryQueue(), true, metrics, () => {});

describe('Hub', () => {
  it('closes a connection silent for twice the activity timeout with 4201, not an active one', () => {
    const silent = new FakeConnection();
    const chatty = new FakeConnection();
    hub.open(silent, writer());
    const c = hub.open(chatty, writer());
    for (let s = 0; s < 300; s += 10) {
      vi.advanceTimersByTime(10_000);
      hub.message(c, '{"event":"pusher:ping","data":{}}');
    }
    expect(silent.closedWith).toBe(4201);
    expect(chatty.closedWith).toBeUndefined();
    expect(chatty.frames.filter((f) => f.event === 'pusher:pong').length).toBe(30);
  });

  it('retained memory is allocated per connection and released on close', () => {
    const config = testConfig({ RETAINED_BYTES_PER_CONNECTION: '4096' });
    const h = new Hub(config, new MemoryState(), metrics, silentLogger);
    const c = h.open(new FakeConnection(), writer());
    expect(c.retained?.length).toBe(4096);
    expect(c.retained?.every((b) => b === 0x5a)).toBe(true);
    h.closed(c);
    expect(c.retained).toBeUndefined();
    expect(h.count()).toBe(0);
  });

  it('answers an unparseable frame with pusher:error and keeps the connection', () => {
    const f = new FakeConnection();
    const c = hub.open(f, writer());
    hub.message(c, 'not json');
    expect(f.frames.at(-1)?.event).toBe('pusher:error');
    expect(f.closedWith).toBeUndefined();
  });
});
