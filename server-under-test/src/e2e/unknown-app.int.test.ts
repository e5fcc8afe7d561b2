/** An unknown app key is refused with 4001 (do not reconnect), on every transport. */
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
