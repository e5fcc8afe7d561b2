/** Switch MAX_CONNECTIONS / OVER_CAP_MODE (2021-09): over the cap the upgrade is refused. */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StartedPod } from '../pod.ts';
import { APP, startTestPod } from '../testing/pods.ts';
import { connected, pusherJs, type PusherJsClient } from '../testing/clients.ts';

const pods: StartedPod[] = [];
const sockets: WebSocket[] = [];
const clients: PusherJsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const s of sockets.splice(0)) s.terminate();
  for (const p of pods.splice(0)) await p.stop();
});

interface Outcome {
  established: boolean;
  closeCode: number;
}

/** A plain WebSocket client speaking protocol 7: did it get connection_established, how did it close? */
function attempt(pod: StartedPod): { outcome: Promise<Outcome>; ws: WebSocket } {
  const ws = new WebSocket(`ws://127.0.0.1:${pod.port}/app/${APP.key}?protocol=7&client=js&version=8.6.0`);
  sockets.push(ws);
  let established = false;
  const outcome = new Promise<Outcome>((resolve) => {
    ws.on('message', (d) => {
      if ((JSON.parse(d.toString()) as { event: string }).event === 'pusher:connection_established') {
        established = true;
        resolve({ established, closeCode: 0 });
      }
    });
    ws.on('error', () => {});
    ws.on('close', (code) => resolve({ established, closeCode: code }));
  });
  return { outcome, ws };
}

async function refusedCount(pod: StartedPod, reason: string): Promise<number> {
  const text = await pod.metrics.registry.getSingleMetricAsString('sut_connections_refused_total');
  const m = new RegExp(`reason="${reason}"[^}]*\\}\\s+(\\d+)`).exec(text);
  return m ? Number(m[1]) : 0;
}

describe('connection cap', () => {
  it('healthy default (no cap): 30 connections are all established', async () => {
    const pod = await startTestPod();
    pods.push(pod);
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => attempt(pod).outcome));
    expect(outcomes.every((o) => o.established)).toBe(true);
  });

  it('MAX_CONNECTIONS=5, OVER_CAP_MODE=drop: the 6th client sees 1006, as in the report', async () => {
    const pod = await startTestPod({ MAX_CONNECTIONS: '5', OVER_CAP_MODE: 'drop' });
    pods.push(pod);
    const first = await Promise.all(Array.from({ length: 5 }, () => attempt(pod).outcome));
    expect(first.every((o) => o.established)).toBe(true);
    const over = await attempt(pod).outcome;
    expect(over).toEqual({ established: false, closeCode: 1006 });
    expect(await refusedCount(pod, 'max_connections')).toBe(1);
    // a slot frees up: the next attempt is accepted again
    sockets[0]!.close();
    await expect.poll(() => pod.hub.count('ws')).toBe(4);
    expect((await attempt(pod).outcome).established).toBe(true);
  });

  it('OVER_CAP_MODE=close-4100: the client is told "over capacity" with close code 4100', async () => {
    const pod = await startTestPod({ MAX_CONNECTIONS: '1', OVER_CAP_MODE: 'close-4100' });
    pods.push(pod);
    expect((await attempt(pod).outcome).established).toBe(true);
    expect(await attempt(pod).outcome).toEqual({ established: false, closeCode: 4100 });
    expect(await refusedCount(pod, 'max_connections')).toBe(1);
  });

  it('pusher-js under the cap connects normally', async () => {
    const pod = await startTestPod({ MAX_CONNECTIONS: '1' });
    pods.push(pod);
    const c = pusherJs(pod, 'ws');
    clients.push(c);
    expect(await connected(c)).toMatch(/^\d+\.\d+$/);
  });
});

describe('what clients do over the cap (2021-09)', () => {
  it('pusher-js with its default strategy gets 1006 on ws and falls back to the HTTP transports', async () => {
    const pod = await startTestPod({ MAX_CONNECTIONS: '1', OVER_CAP_MODE: 'drop' });
    pods.push(pod);
    expect((await attempt(pod).outcome).established).toBe(true); // the pod is now full
    const c = pusherJs(pod, 'default');
    clients.push(c);
    const socketId = await connected(c, 20_000);
    expect(socketId).toMatch(/^\d+\.\d+$/);
    const mgr = c.connection as unknown as { connection: { transport: { name: string } } };
    expect(['xhr_streaming', 'xhr_polling']).toContain(mgr.connection.transport.name);
    expect(await refusedCount(pod, 'max_connections')).toBeGreaterThanOrEqual(1);
    expect(pod.hub.count('ws')).toBe(1);
  });

  it('healthy default: pusher-js with its default strategy stays on ws', async () => {
    const pod = await startTestPod();
    pods.push(pod);
    const c = pusherJs(pod, 'default');
    clients.push(c);
    await connected(c);
    const mgr = c.connection as unknown as { connection: { transport: { name: string } } };
    expect(mgr.connection.transport.name).toBe('ws');
  });
});
