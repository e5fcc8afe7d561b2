/**
 * Slow and abusive clients (issue 13): each bound cuts the client off and counts it in
 * sut_clients_dropped_total{reason}, while the pod keeps serving everyone else.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StartedPod } from '../pod.ts';
import { APP, startTestPod } from '../testing/pods.ts';
import { rawExchange, rawRequest } from '../testing/raw-http.ts';

let pod: StartedPod | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await pod?.stop();
  pod = undefined;
});

async function dropped(p: StartedPod, reason: string): Promise<number> {
  const m = new RegExp(`sut_clients_dropped_total\\{reason="${reason}"[^}]*\\} (\\d+)`).exec(await p.metrics.registry.metrics());
  return m ? Number(m[1]) : Number.NaN;
}

describe('slow and abusive clients', () => {
  it('slowloris: headers that never finish get 408 and the socket closes (HTTP_HEADERS_TIMEOUT_MS)', async () => {
    pod = await startTestPod({ HTTP_HEADERS_TIMEOUT_MS: '300' });
    const answer = await rawExchange(pod.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n', 10_000);
    expect(answer.status).toBe(408);
    expect(await dropped(pod, 'slow_request')).toBe(1);
    expect((await rawExchange(pod.port, rawRequest('GET', '/healthz'))).status).toBe(200);
  });

  it('a REST body that trickles gets 408 (HTTP_BODY_TIMEOUT_MS)', async () => {
    pod = await startTestPod({ HTTP_BODY_TIMEOUT_MS: '300' });
    const head = `POST /apps/${APP.id}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`;
    const answer = await rawExchange(pod.port, head, 10_000);
    expect(answer.status).toBe(408);
    expect(await dropped(pod, 'slow_body')).toBe(1);
  });

  it('an xhr_send body that trickles gets 408 too', async () => {
    pod = await startTestPod({ HTTP_BODY_TIMEOUT_MS: '300' });
    const head = `POST /pusher/app/${APP.key}/123/trickle/xhr_send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n[`;
    expect((await rawExchange(pod.port, head, 10_000)).status).toBe(408);
    expect(await dropped(pod, 'slow_body')).toBe(1);
  });

  it('a WebSocket client that never reads is dropped once its send buffer passes WS_MAX_BUFFERED_BYTES', async () => {
    pod = await startTestPod({ WS_MAX_BUFFERED_BYTES: String(64 * 1024) });
    const ws = new WebSocket(`ws://127.0.0.1:${pod.port}/app/${APP.key}?protocol=7`);
    const subscribed = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        if (d.toString().includes('subscription_succeeded')) resolve();
      }),
    );
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: 'firehose' } }));
    await subscribed;
    // From here the client reads nothing: the kernel buffers fill, then the pod's send buffer.
    (ws as unknown as { _socket: Socket })._socket.pause();
    const data = 'x'.repeat(10_000);
    const p = pod;
    for (let i = 0; i < 20_000 && (await dropped(p, 'send_buffer_full')) === 0; i++) {
      await p.hub.publish({ channels: ['firehose'], event: 'e', data });
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    expect(await dropped(p, 'send_buffer_full')).toBe(1);
    await expect.poll(() => p.hub.count('ws')).toBe(0);
    ws.terminate();
  });

  it('connections beyond MAX_CONNECTIONS_PER_ADDRESS are closed at once; the others keep working', async () => {
    pod = await startTestPod({ MAX_CONNECTIONS_PER_ADDRESS: '3' });
    const port = pod.port;
    const open = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
        s.on('error', reject);
        sockets.push(s);
      });
    await Promise.all([open(), open()]);
    // The third is a real request (within the bound); the fourth connection is over it.
    const held = await open();
    const fourth = await open();
    const closed = await new Promise<boolean>((resolve) => {
      fourth.on('close', () => resolve(true));
      fourth.on('data', () => resolve(false));
      fourth.write(rawRequest('GET', '/healthz'));
    });
    expect(closed).toBe(true);
    expect(await dropped(pod, 'address_limit')).toBe(1);
    held.destroy();
    await expect.poll(async () => (await rawExchange(port, rawRequest('GET', '/healthz'))).status).toBe(200);
  });
});
