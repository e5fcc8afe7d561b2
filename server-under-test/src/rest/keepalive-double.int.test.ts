/**
 * Switch KEEPALIVE_DOUBLE_4XX (2020-01): a 4XX written twice shifts every later response on a
 * keep-alive connection by one. Shown on the wire with a raw socket and with the `pusher` client
 * on a keep-alive agent; masked when the connection closes after each response.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { md5Hex, restSignature } from '../auth/signing.ts';
import type { StartedPod } from '../pod.ts';
import { restClient } from '../testing/clients.ts';
import { APP, startTestPod } from '../testing/pods.ts';

const pods: StartedPod[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const p of pods.splice(0)) await p.stop();
});

function signedPath(method: string, path: string, body = ''): string {
  const q: Record<string, string> = { auth_key: APP.key, auth_timestamp: String(Math.floor(Date.now() / 1000)), auth_version: '1.0' };
  if (body) q.body_md5 = md5Hex(body);
  q.auth_signature = restSignature(APP.secret, method, path, q);
  return `${path}?${new URLSearchParams(q).toString()}`;
}

function request(method: string, path: string, body = '', connection = 'keep-alive'): string {
  return (
    `${method} ${signedPath(method, path, body)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: ${connection}\r\n` +
    (body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '') +
    `\r\n${body}`
  );
}

/** Reads HTTP responses off one socket, one at a time, exactly as a keep-alive client would. */
class WireClient {
  private buf = '';
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buf += d;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
  }
  /** The next complete response's status, or undefined if the server closed the connection. */
  async next(): Promise<number | undefined> {
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end >= 0) {
        const head = this.buf.slice(0, end);
        const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (this.buf.length >= end + 4 + len) {
          this.buf = this.buf.slice(end + 4 + len);
          return Number(head.split(' ')[1]);
        }
      }
      if (this.closed) return undefined;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  send(raw: string): void {
    this.socket.write(raw);
  }
}

async function wire(pod: StartedPod): Promise<WireClient> {
  const s = connect(pod.port, '127.0.0.1');
  sockets.push(s);
  await new Promise<void>((r) => s.once('connect', () => r()));
  return new WireClient(s);
}

const tooBig = JSON.stringify({ name: 'e', channels: ['c'], data: 'x'.repeat(11 * 1024) });
const small = JSON.stringify({ name: 'e', channels: ['c'], data: '{}' });

/** 413, then a publish and a channel query on the same connection: the statuses each one reads. */
async function sequence(pod: StartedPod): Promise<(number | undefined)[]> {
  const w = await wire(pod);
  const seen: (number | undefined)[] = [];
  w.send(request('POST', `/apps/${APP.id}/events`, tooBig));
  seen.push(await w.next());
  w.send(request('POST', `/apps/${APP.id}/events`, small));
  seen.push(await w.next());
  w.send(request('GET', `/apps/${APP.id}/channels`));
  seen.push(await w.next());
  return seen;
}

describe('keep-alive and 4XX responses', () => {
  it('healthy default: each request on a keep-alive connection gets its own response', async () => {
    const pod = await startTestPod();
    pods.push(pod);
    expect(await sequence(pod)).toEqual([413, 200, 200]);
  });

  it('KEEPALIVE_DOUBLE_4XX=true: the 413 is sent twice and later responses answer the previous request', async () => {
    const pod = await startTestPod({ KEEPALIVE_DOUBLE_4XX: 'true' });
    pods.push(pod);
    expect(await sequence(pod)).toEqual([413, 413, 200]);
  });

  it('KEEPALIVE_DOUBLE_4XX=true behind a proxy that closes after each response: masked', async () => {
    const pod = await startTestPod({ KEEPALIVE_DOUBLE_4XX: 'true' });
    pods.push(pod);
    const statuses: (number | undefined)[] = [];
    for (const [m, body] of [['POST', tooBig], ['POST', small], ['GET', '']] as const) {
      const w = await wire(pod);
      w.send(request(m, m === 'GET' ? `/apps/${APP.id}/channels` : `/apps/${APP.id}/events`, body, 'close'));
      statuses.push(await w.next());
      expect(await w.next()).toBeUndefined(); // nothing else came before the close
    }
    expect(statuses).toEqual([413, 200, 200]);
  });

  it('the pusher client on a keep-alive agent gets a spurious 413 for a valid request', async () => {
    const status = async (p: Promise<unknown>): Promise<number> => {
      try {
        return ((await p) as { status: number }).status;
      } catch (err) {
        return (err as { status: number }).status;
      }
    };
    const healthy = await startTestPod();
    const buggy = await startTestPod({ KEEPALIVE_DOUBLE_4XX: 'true' });
    pods.push(healthy, buggy);
    const results: Record<string, number[]> = {};
    for (const [name, pod] of [['healthy', healthy], ['buggy', buggy]] as const) {
      const rest = restClient(pod, { keepAlive: true });
      results[name] = [await status(rest.trigger('c', 'e', 'x'.repeat(11 * 1024))), await status(rest.trigger('c', 'e', {}))];
    }
    expect(results).toEqual({ healthy: [413, 200], buggy: [413, 413] });
  });
});
