/**
 * pusher-js closes an xhr_streaming stream after 256 KiB and reopens it on the same session.
 * Nothing may be lost or duplicated across that, no second "o", same socket id.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StartedPod } from '../../pod.ts';
import { collect, connected, pusherJs, restClient, subscribed, type PusherJsClient } from '../../testing/clients.ts';
import { startTestPod } from '../../testing/pods.ts';

let pod: StartedPod;
let client: PusherJsClient | undefined;
beforeAll(async () => {
  pod = await startTestPod();
});
afterAll(async () => {
  client?.disconnect();
  await pod?.stop();
});

async function receives(): Promise<number> {
  const text = await pod.metrics.registry.getSingleMetricAsString('sut_fallback_receive_requests_total');
  const m = /transport="xhr_streaming"[^}]*\}\s+(\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

it('an xhr_streaming client receiving ~1.2 MiB loses nothing, gets no duplicates and keeps its socket id', async () => {
  client = pusherJs(pod, 'xhr_streaming');
  const socketId = await connected(client);
  const errors: unknown[] = [];
  client.connection.bind('error', (e: unknown) => errors.push(e));
  const states: string[] = [];
  client.connection.bind('state_change', (s: { current: string }) => states.push(s.current));
  const ch = await subscribed(client, 'bulk');
  const total = 150;
  const got = collect<{ i: number; pad: string }>(ch, 'chunk', total, 30_000);
  const rest = restClient(pod);
  const pad = 'x'.repeat(8000) + 'é'; // non-ASCII too: the server escapes it, the client counts characters
  for (let i = 0; i < total; i += 10) {
    await rest.triggerBatch(Array.from({ length: 10 }, (_, k) => ({ channel: 'bulk', name: 'chunk', data: { i: i + k, pad } })));
  }
  const events = await got;
  expect(events.map((e) => e.i)).toEqual(Array.from({ length: total }, (_, i) => i));
  expect(events.every((e) => e.pad === pad)).toBe(true);
  // More events may not arrive (duplicates): publish a marker and check it is the next one.
  const marker = collect<{ i: number }>(ch, 'chunk', 1);
  await rest.trigger('bulk', 'chunk', { i: -1 });
  expect(await marker).toEqual([{ i: -1 }]);
  expect(client.connection.socket_id).toBe(socketId);
  expect(client.connection.state).toBe('connected');
  expect(states).toEqual([]);
  expect(errors).toEqual([]);
  // ~1.2 MiB over a 256 KiB stream limit: the client must have reopened its stream several times.
  expect(await receives()).toBeGreaterThanOrEqual(5);
});
