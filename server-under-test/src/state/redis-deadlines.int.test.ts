/**
 * Redis with deadlines (issue 13), against a real redis-server that is SIGSTOPped: its TCP
 * connections stay open and nothing answers, as in a network partition (not a closed link).
 * Publishes fail fast with 503, deep readiness fails within its deadline, shallow readiness fails
 * once the watchdog sees no pong for REDIS_PARTITION_TIMEOUT_MS, and all recover afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedPod } from '../pod.ts';
import { restClient } from '../testing/clients.ts';
import { startTestPod } from '../testing/pods.ts';
import { rawExchange, rawRequest } from '../testing/raw-http.ts';
import { startRedis, type StartedRedis } from '../testing/redis-server.ts';

let redis: StartedRedis;
let deep: StartedPod;
let shallow: StartedPod;
const deadlines = { REDIS_COMMAND_TIMEOUT_MS: '300', REDIS_PING_INTERVAL_MS: '100', REDIS_PARTITION_TIMEOUT_MS: '800', READINESS_DEADLINE_MS: '200' };
beforeAll(async () => {
  redis = await startRedis();
  deep = await startTestPod({ REDIS_URL: redis.url, POD_NAME: 'deep', READINESS_MODE: 'deep', ...deadlines });
  shallow = await startTestPod({ REDIS_URL: redis.url, POD_NAME: 'shallow', READINESS_MODE: 'shallow', ...deadlines });
});
afterAll(async () => {
  redis?.resume();
  await deep?.stop();
  await shallow?.stop();
  await redis?.stop();
});

async function readyz(pod: StartedPod): Promise<{ status: number | undefined; body: Record<string, unknown> }> {
  const a = await rawExchange(pod.port, rawRequest('GET', '/readyz'), 5000);
  const body = a.text.slice(a.text.indexOf('\r\n\r\n') + 4);
  return { status: a.status, body: body ? (JSON.parse(body) as Record<string, unknown>) : {} };
}

async function publishStatus(pod: StartedPod): Promise<number | undefined> {
  return restClient(pod)
    .trigger('public-a', 'e', { n: 1 })
    .then(
      (r) => r.status,
      (e: { status?: number }) => e.status,
    );
}

describe('a partitioned Redis link', () => {
  it('before: both pods ready, deep readiness did a round trip', async () => {
    expect(await readyz(deep)).toMatchObject({ status: 200, body: { mode: 'deep', roundTrip: 'ok' } });
    expect(await readyz(shallow)).toMatchObject({ status: 200, body: { mode: 'shallow' } });
    expect(await publishStatus(deep)).toBe(200);
  });

  it('during: publishes answer 503 instead of hanging; deep readiness fails at once, shallow once the watchdog notices', async () => {
    redis.pause();
    expect(await publishStatus(deep)).toBe(503);
    expect(await readyz(deep)).toMatchObject({ status: 503, body: { ready: false } });
    await expect.poll(async () => (await readyz(shallow)).status, { timeout: 10_000, interval: 200 }).toBe(503);
    expect(await publishStatus(shallow)).toBe(503);
    const metrics = await deep.metrics.registry.metrics();
    expect(metrics).toMatch(/sut_rest_requests_total\{route="events",status="503"[^}]*\} 1/);
  });

  it('after: the link heals, both pods are ready and publish again', async () => {
    redis.resume();
    await expect.poll(async () => (await readyz(deep)).status, { timeout: 20_000, interval: 200 }).toBe(200);
    await expect.poll(async () => (await readyz(shallow)).status, { timeout: 20_000, interval: 200 }).toBe(200);
    expect(await publishStatus(deep)).toBe(200);
  });
});
