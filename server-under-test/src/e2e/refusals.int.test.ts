/** Refusals: an unknown app key (4001, do not reconnect) on every transport; bad subscription auth (4009). */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StartedPod } from '../pod.ts';
import { startTestPod } from '../testing/pods.ts';

let pod: StartedPod;
beforeAll(async () => {
  pod = await startTestPod();
});
afterAll(async () => {
  await pod?.stop();
});

describe('unknown app key', () => {
  it('ws: pusher:error 4001 then close 4001', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${pod.port}/app/nope?protocol=7`);
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(d.toString()));
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(4001);
    expect(JSON.parse(frames[0]!)).toMatchObject({ event: 'pusher:error', data: { code: 4001 } });
  });

  it('xhr fallback: "o", the pusher:error, then c[4001,...]', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: pod.port, method: 'POST', path: '/pusher/app/nope/1/zz/xhr_streaming', agent: false }, (res) => {
        let b = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (b += d));
        res.on('end', () => resolve(b));
      });
      req.on('error', reject);
      req.end();
    });
    const lines = body.trim().split('\n');
    expect(lines[0]).toBe('o');
    expect(lines.at(-1)).toBe('c[4001,"App not found"]');
  });
});

describe('subscription authorization', () => {
  async function firstReplyTo(subscribe: object): Promise<{ event: string; channel?: string; data: unknown }> {
    const ws = new WebSocket(`ws://127.0.0.1:${pod.port}/app/test-key?protocol=7`);
    try {
      const frames: { event: string; channel?: string; data: unknown }[] = [];
      let wake: () => void = () => {};
      ws.on('message', (d) => {
        frames.push(JSON.parse(d.toString()) as { event: string; data: unknown });
        wake();
      });
      const next = async (): Promise<{ event: string; channel?: string; data: unknown }> => {
        while (frames.length === 0) await new Promise<void>((r) => (wake = r));
        return frames.shift()!;
      };
      expect((await next()).event).toBe('pusher:connection_established');
      ws.send(JSON.stringify({ event: 'pusher:subscribe', data: subscribe }));
      return await next();
    } finally {
      ws.terminate();
    }
  }

  it('a wrong private-channel signature is refused with pusher:error 4009', async () => {
    const reply = await firstReplyTo({ channel: 'private-x', auth: `test-key:${'0'.repeat(64)}` });
    expect(reply).toMatchObject({ event: 'pusher:error', data: { code: 4009 } });
  });

  it('a presence subscription without channel_data is refused', async () => {
    const reply = await firstReplyTo({ channel: 'presence-x', auth: `test-key:${'0'.repeat(64)}` });
    expect(reply).toMatchObject({ event: 'pusher:error', data: { code: 4009 } });
  });

  it('a public channel needs no auth', async () => {
    expect(await firstReplyTo({ channel: 'open' })).toMatchObject({ event: 'pusher_internal:subscription_succeeded', channel: 'open' });
  });
});
