/** APP_VERSION v2 (2019-12): publishes answer 200 but nothing is delivered; v1 and v3 deliver. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StartedPod } from '../pod.ts';
import { barrier, connected, pusherJs, restClient, subscribed, type PusherJsClient } from '../testing/clients.ts';
import { startTestPod } from '../testing/pods.ts';

const configFile = join(mkdtempSync(join(tmpdir(), 'sut-v-')), 'c2.json');
writeFileSync(configFile, JSON.stringify({ configVersion: 'c2', metricsServiceAddress: '127.0.0.1:8125' }));

const pods: StartedPod[] = [];
const clients: PusherJsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const p of pods.splice(0)) await p.stop();
});

/** Publish 3 events via REST; return what one ws subscriber received by the time of a ping round trip. */
async function deliveredOn(version: string): Promise<{ statuses: number[]; received: unknown[] }> {
  const pod = await startTestPod({ APP_VERSION: version, CONFIG_FILE: configFile });
  pods.push(pod);
  const c = pusherJs(pod, 'ws');
  clients.push(c);
  await connected(c);
  const ch = await subscribed(c, 'delivery-check');
  const received: unknown[] = [];
  ch.bind('probe', (d: unknown) => received.push(d));
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push(((await restClient(pod).trigger('delivery-check', 'probe', { i })) as { status: number }).status);
  // Standalone fan-out hands the frame to the socket before REST answers; the pong comes after it.
  await barrier(c);
  return { statuses, received };
}

describe('app versions', () => {
  it('v1 delivers', async () => {
    expect(await deliveredOn('v1')).toEqual({ statuses: [200, 200, 200], received: [{ i: 0 }, { i: 1 }, { i: 2 }] });
  });
  it('v2 accepts publishes but delivers nothing (the synthetic delivery check fails)', async () => {
    expect(await deliveredOn('v2')).toEqual({ statuses: [200, 200, 200], received: [] });
  });
  it('v3 (v2 fixed) delivers', async () => {
    expect(await deliveredOn('v3')).toEqual({ statuses: [200, 200, 200], received: [{ i: 0 }, { i: 1 }, { i: 2 }] });
  });
});
