/** /metrics reflects connections per transport, messages in/out, latency and webhook writes. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StartedPod } from './pod.ts';
import { TRANSPORTS } from './protocol/messages.ts';
import { collect, connected, pusherJs, restClient, subscribed, type PusherJsClient } from './testing/clients.ts';
import { startTestPod } from './testing/pods.ts';

let pod: StartedPod;
const clients: PusherJsClient[] = [];
beforeAll(async () => {
  pod = await startTestPod();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await pod?.stop();
});

function value(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

it('counts per transport', async () => {
  const channels = [];
  for (const t of TRANSPORTS) {
    const c = pusherJs(pod, t);
    clients.push(c);
    await connected(c);
    channels.push(await subscribed(c, 'metered'));
  }
  const got = Promise.all(channels.map((ch) => collect(ch, 'm', 2)));
  await restClient(pod).trigger('metered', 'm', 1);
  await restClient(pod).trigger('metered', 'm', 2);
  await got;
  const text = await (await fetch(`${pod.url}/metrics`)).text();
  for (const t of TRANSPORTS) {
    expect(value(text, 'sut_connections', `transport="${t}"`)).toBe(1);
    // connection_established + subscription_succeeded + 2 events
    expect(value(text, 'sut_messages_out_total', `transport="${t}"`)).toBe(4);
    expect(value(text, 'sut_messages_in_total', `transport="${t}"`)).toBeGreaterThanOrEqual(1);
    expect(value(text, 'sut_publish_to_send_seconds_count', `transport="${t}"`)).toBe(2);
  }
  expect(value(text, 'sut_webhook_events_written_total', 'transport="ws"')).toBe(1); // channel_occupied
  expect(value(text, 'sut_rest_requests_total', 'route="events",status="200"')).toBe(2);
  expect(text).toMatch(/sut_process_resident_memory_bytes\{/);
});
