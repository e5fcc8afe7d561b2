/** Fallback capacity (2021-09 / 2021-12): a surge of new fallback sessions saturates, then is refused. */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { StartedPod } from '../pod.ts';
import { APP, startTestPod } from '../testing/pods.ts';

const pods: StartedPod[] = [];
afterEach(async () => {
  for (const p of pods.splice(0)) await p.stop();
});

/** Opens a polling session the way pusher-js does; resolves with the HTTP status and the body. */
function openSession(pod: StartedPod, session: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: pod.port, method: 'POST', path: `/pusher/app/${APP.key}/1/${session}/xhr?protocol=7&client=js&version=8.6.0`, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function surge(pod: StartedPod, n: number): Promise<number[]> {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => openSession(pod, `s${i}`)));
  return results.map((r) => r.status);
}

describe('fallback capacity', () => {
  it('healthy default: a surge of 40 new sessions is served', async () => {
    const pod = await startTestPod();
    pods.push(pod);
    const statuses = await surge(pod, 40);
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
  });

  it('FALLBACK_MAX_CONCURRENT=2, FALLBACK_QUEUE_LIMIT=5, 300 ms per request: requests queue, the rest are refused with 503', async () => {
    const pod = await startTestPod({ FALLBACK_MAX_CONCURRENT: '2', FALLBACK_QUEUE_LIMIT: '5', FALLBACK_REQUEST_COST_MS: '300' });
    pods.push(pod);
    const statuses = await surge(pod, 40);
    const served = statuses.filter((s) => s === 200).length;
    const refused = statuses.filter((s) => s === 503).length;
    expect(served + refused).toBe(40);
    expect(served).toBeGreaterThanOrEqual(7); // 2 served at once + 5 waiting (more if the surge was slow to arrive)
    expect(refused).toBeGreaterThan(20);
    const text = await pod.metrics.registry.getSingleMetricAsString('sut_connections_refused_total');
    expect(text).toMatch(new RegExp(`transport="xhr_polling",reason="fallback_queue"[^}]*\\}\\s+${refused}`));
  });

  it('FALLBACK_MAX_SESSIONS=3: the 4th session is refused, existing ones keep working', async () => {
    const pod = await startTestPod({ FALLBACK_MAX_SESSIONS: '3' });
    pods.push(pod);
    for (let i = 0; i < 3; i++) expect(await openSession(pod, `k${i}`)).toEqual({ status: 200, body: 'o\n' });
    expect((await openSession(pod, 'k3')).status).toBe(503);
    // an existing session polls again and gets its connection_established
    const again = await openSession(pod, 'k0');
    expect(again.status).toBe(200);
    expect(again.body).toMatch(/^a\[".*pusher:connection_established/);
  });
});
