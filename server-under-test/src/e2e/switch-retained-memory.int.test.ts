/** RETAINED_BYTES_PER_CONNECTION (2021-12): each open connection holds real, touched memory. */
import { afterEach, describe, expect, it } from 'vitest';
import type { StartedPod } from '../pod.ts';
import { connected, pusherJs, type PusherJsClient } from '../testing/clients.ts';
import { startTestPod } from '../testing/pods.ts';

const pods: StartedPod[] = [];
const clients: PusherJsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const p of pods.splice(0)) await p.stop();
});

async function retained(pod: StartedPod): Promise<number> {
  const text = await pod.metrics.registry.getSingleMetricAsString('sut_retained_bytes');
  return Number(/\}\s+(\d+)/.exec(text)?.[1] ?? 0);
}

describe('retained memory per connection', () => {
  it('healthy default holds nothing extra', async () => {
    const pod = await startTestPod();
    pods.push(pod);
    const c = pusherJs(pod, 'ws');
    clients.push(c);
    await connected(c);
    expect(await retained(pod)).toBe(0);
  });

  it('holds N bytes per open connection on every transport and frees them on close', async () => {
    const pod = await startTestPod({ RETAINED_BYTES_PER_CONNECTION: String(256 * 1024) });
    pods.push(pod);
    for (const t of ['ws', 'xhr_streaming', 'xhr_polling'] as const) clients.push(pusherJs(pod, t));
    await Promise.all(clients.map((c) => connected(c)));
    expect(await retained(pod)).toBe(3 * 256 * 1024);
    for (const c of clients.splice(0)) c.disconnect();
    await expect.poll(() => retained(pod), { timeout: 5_000 }).toBe(0);
  });
});
