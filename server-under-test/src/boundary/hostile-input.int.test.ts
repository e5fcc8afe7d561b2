/**
 * Regression tests for issue 13: client input that used to kill the pod (an uncaught URIError) or
 * answer 500 now answers 4xx or the protocol's error, and the pod keeps serving.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StartedPod } from '../pod.ts';
import { APP, startTestPod } from '../testing/pods.ts';
import { rawExchange, rawRequest, rawUpgrade } from '../testing/raw-http.ts';
import { restClient } from '../testing/clients.ts';

let pod: StartedPod;
beforeAll(async () => {
  pod = await startTestPod();
});
afterAll(async () => {
  await pod?.stop();
});

async function healthy(): Promise<number | undefined> {
  return (await rawExchange(pod.port, rawRequest('GET', '/healthz'))).status;
}

describe('the two crashing requests of issue 13', () => {
  it('POST /apps/%E0%A4%A/events answers 400 and the pod stays up', async () => {
    const answer = await rawExchange(pod.port, rawRequest('POST', '/apps/%E0%A4%A/events', { 'Content-Type': 'application/json' }, '{}'));
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('percent-encoding');
    expect(await healthy()).toBe(200);
  });

  it('a WebSocket upgrade to /app/%E0%A4%A answers 400 before the handshake and the pod stays up', async () => {
    const answer = await rawExchange(pod.port, rawUpgrade('/app/%E0%A4%A?protocol=7'));
    expect(answer.status).toBe(400);
    expect(await healthy()).toBe(200);
  });
});

describe('the same class of input elsewhere gives 4xx, not 500', () => {
  it('a malformed channel name in GET /apps/{id}/channels/{name} answers 400', async () => {
    const answer = await rawExchange(pod.port, rawRequest('GET', `/apps/${APP.id}/channels/%E0%A4%A`));
    expect(answer.status).toBe(400);
  });

  it('a malformed fallback app key answers 400', async () => {
    const answer = await rawExchange(pod.port, rawRequest('POST', '/pusher/app/%E0%A4%A/123/abcdefgh/xhr_streaming'));
    expect(answer.status).toBe(400);
  });

  it('a malformed path on an unknown route answers 400', async () => {
    expect((await rawExchange(pod.port, rawRequest('GET', '/%ZZ%E0'))).status).toBe(400);
  });

  it('an absolute-form target that is not a URL answers 400', async () => {
    expect((await rawExchange(pod.port, rawRequest('GET', 'http://[::1/healthz'))).status).toBe(400);
  });

  it('an oversize request target answers 414', async () => {
    expect((await rawExchange(pod.port, rawRequest('GET', `/apps/${APP.id}/channels/${'a'.repeat(5000)}`))).status).toBe(414);
  });

  it('oversize headers answer 431', async () => {
    expect((await rawExchange(pod.port, rawRequest('GET', '/healthz', { 'X-Big': 'b'.repeat(20_000) }))).status).toBe(431);
  });

  it('a request line that is not HTTP answers 400', async () => {
    expect((await rawExchange(pod.port, 'HELLO\r\n\r\n')).status).toBe(400);
  });

  it('a signed REST request whose body is not a JSON object answers 400', async () => {
    const status = await restClient(pod)
      .post({ path: '/events', body: 'not json' })
      .then(
        (r) => r.status,
        (e: { status?: number }) => e.status,
      );
    expect(status).toBe(400);
  });

  it('the refusals are counted in /metrics', async () => {
    const text = await pod.metrics.registry.metrics();
    expect(text).toMatch(/sut_rejected_requests_total\{surface="http",reason="malformed_target"[^}]*\} [1-9]/);
    expect(text).toMatch(/sut_rejected_requests_total\{surface="upgrade",reason="malformed_target"[^}]*\} [1-9]/);
    expect(text).toMatch(/sut_rejected_requests_total\{surface="http",reason="header_overflow"[^}]*\} [1-9]/);
  });
});

describe('WebSocket: the protocol errors', () => {
  async function closeOf(target: string): Promise<{ code: number; frames: string[] }> {
    const ws = new WebSocket(`ws://127.0.0.1:${pod.port}${target}`);
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(d.toString()));
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    return { code, frames };
  }

  it('a protocol that is not an integer closes with 4007', async () => {
    for (const p of ['abc', '7.5', '1e400', '-7']) {
      const { code, frames } = await closeOf(`/app/${APP.key}?protocol=${p}`);
      expect(code, p).toBe(4007);
      expect(JSON.parse(frames[0]!)).toMatchObject({ event: 'pusher:error', data: { code: 4007 } });
    }
  });

  it('hostile frames get pusher:error and the connection stays usable', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${pod.port}/app/${APP.key}?protocol=7`);
    const frames: { event: string; data?: { code?: number | null } }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as (typeof frames)[number]));
    await new Promise((r) => ws.once('open', r));
    const hostile = [
      'not json',
      '[]',
      'null',
      '{"event":42}',
      '{"event":"pusher:subscribe","data":{"channel":{"a":1}}}',
      '{"event":"pusher:subscribe","data":"{broken"}',
      '{"event":"pusher:subscribe","data":{"channel":"private-x","auth":123}}',
      '{"event":"pusher:subscribe","data":{"channel":"presence-x","auth":"k:0","channel_data":7}}',
      `{"event":"client-${'x'.repeat(300)}","channel":"private-x","data":{}}`,
      '{"event":"unknown-event"}',
    ];
    for (const f of hostile) ws.send(f);
    ws.send('{"event":"pusher:ping","data":{}}');
    await expect.poll(() => frames.some((f) => f.event === 'pusher:pong')).toBe(true);
    const errors = frames.filter((f) => f.event === 'pusher:error');
    expect(errors.length).toBe(hostile.length);
    ws.close();
  });
});

describe('fallback session frames', () => {
  it('xhr_send with broken JSON, a non-array, or an unknown session answers 4xx', async () => {
    const post = (path: string, body: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: pod.port, method: 'POST', path, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
    expect(await post('/pusher/app/nope/1/none/xhr_send', '["x"]')).toBe(404);
    // open a session first (an unknown key still creates it, then closes it): use the real key
    const open = await rawExchange(pod.port, rawRequest('POST', `/pusher/app/${APP.key}/123/fuzzsess/xhr`), 1000);
    expect(open.status).toBe(200);
    expect(await post(`/pusher/app/${APP.key}/123/fuzzsess/xhr_send`, '{broken')).toBe(400);
    expect(await post(`/pusher/app/${APP.key}/123/fuzzsess/xhr_send`, '{"a":1}')).toBe(400);
    expect(await post(`/pusher/app/${APP.key}/123/fuzzsess/xhr_send`, '[1, null, {"event":"x"}, "not json"]')).toBe(204);
    expect(await healthy()).toBe(200);
  });
});
