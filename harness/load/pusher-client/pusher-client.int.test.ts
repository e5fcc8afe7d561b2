import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, TEST_APP, type ServerProcess } from '../testing/server-process.ts';
import { freePort } from '../../platform/ports.ts';
import { connect, ConnectError, RestClient, type ClientTransport, type PusherConnection, type PusherFrame } from './index.ts';

const open: PusherConnection[] = [];
const closeAll = (): void => {
  for (const c of open.splice(0)) c.close();
};

async function connected(server: ServerProcess, transport: ClientTransport, key: string = TEST_APP.key): Promise<PusherConnection> {
  const c = await connect({ endpoint: { port: server.port }, app: { ...TEST_APP, key }, transport, timeoutMs: 5000 });
  open.push(c);
  return c;
}

function nextEvent(c: PusherConnection, event: string, timeoutMs = 5000): Promise<PusherFrame> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} after ${timeoutMs} ms`)), timeoutMs);
    const off = c.onEvent((f) => {
      if (f.event !== event) return;
      clearTimeout(timer);
      off();
      resolve(f);
    });
  });
}

async function connectError(p: Promise<unknown>): Promise<ConnectError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectError);
  return err as ConnectError;
}

describe('pusher client against a standalone pod', () => {
  let server: ServerProcess;
  let rest: RestClient;
  beforeAll(async () => {
    server = await startServerProcess();
    rest = new RestClient({ port: server.port }, TEST_APP);
  });
  afterEach(closeAll);
  afterAll(async () => {
    rest?.close();
    await server?.stop();
  });

  it.each(['ws', 'xhr_streaming', 'xhr_polling'] as const)('%s: receives a published event on a public channel', async (transport) => {
    const c = await connected(server, transport);
    expect(c.socketId).toMatch(/^\d+\.\d+$/);
    await c.subscribe(`pub-${transport}`);
    const got = nextEvent(c, 'greeting');
    const res = await rest.publish([`pub-${transport}`], 'greeting', '{"n":1}');
    expect(res.status).toBe(200);
    expect((await got).data).toBe('{"n":1}');
  });

  it.each(['ws', 'xhr_streaming'] as const)('%s: presence subscription signed locally, client event reaches the other member', async (transport) => {
    const a = await connected(server, transport);
    const b = await connected(server, 'ws');
    await a.subscribe('presence-room', { userId: 'alice' });
    await b.subscribe('presence-room', { userId: 'bob' });
    const got = nextEvent(b, 'client-hello');
    a.trigger('presence-room', 'client-hello', { from: 'alice' });
    expect((await got).user_id).toBe('alice');
  });

  it('xhr_polling: a send the server refuses (an over-size body, 413) is counted; an accepted one is not', async () => {
    const c = await connected(server, 'xhr_polling');
    await c.subscribe('presence-sends', { userId: 'carol' });
    c.trigger('presence-sends', 'client-small', { ok: true });
    await expect.poll(() => c.sendsSettled).toBe(true);
    expect(c.refusedSends).toBe(0);
    c.trigger('presence-sends', 'client-huge', { pad: 'x'.repeat(200 * 1024) });
    await expect.poll(() => c.sendsSettled).toBe(true);
    expect(c.refusedSends).toBe(1);
    // Refused, not closed: the session lives on, as in pusher-js, which ignores send failures.
    expect(c.isOpen).toBe(true);
  });

  it('a private subscription with a wrong signature is refused', async () => {
    const c = await connect({ endpoint: { port: server.port }, app: { ...TEST_APP, secret: 'wrong' }, transport: 'ws' });
    open.push(c);
    await expect(c.subscribe('private-x')).rejects.toThrow(/Invalid signature/);
  });

  it.each(['ws', 'xhr_streaming', 'xhr_polling'] as const)('%s: an unknown app key closes with 4001', async (transport) => {
    const err = await connectError(connected(server, transport, 'no-such-key'));
    expect([err.reason, err.code]).toEqual(['close', 4001]);
  });

  it('a client close is reported as by the client, not abnormal', async () => {
    const c = await connected(server, 'xhr_streaming');
    c.close();
    expect(await c.closed).toMatchObject({ by: 'client' });
  });

  it('nothing listening: refused', async () => {
    const port = await freePort();
    const err = await connectError(connect({ endpoint: { port }, app: TEST_APP, transport: 'ws' }));
    expect(err.reason).toBe('refused');
  });
});

describe('pusher client: a pod that drops or refuses', () => {
  const servers: ServerProcess[] = [];
  afterEach(async () => {
    closeAll();
    for (const s of servers.splice(0)) await s.stop();
  });

  it('ws over MAX_CONNECTIONS with OVER_CAP_MODE=drop: 1006', async () => {
    const s = await startServerProcess({ MAX_CONNECTIONS: '1' });
    servers.push(s);
    await connected(s, 'ws');
    const err = await connectError(connected(s, 'ws'));
    expect([err.reason, err.code]).toEqual(['close', 1006]);
  });

  it('ws over MAX_CONNECTIONS with OVER_CAP_MODE=close-4100: 4100', async () => {
    const s = await startServerProcess({ MAX_CONNECTIONS: '1', OVER_CAP_MODE: 'close-4100' });
    servers.push(s);
    await connected(s, 'ws');
    const err = await connectError(connected(s, 'ws'));
    expect([err.reason, err.code]).toEqual(['close', 4100]);
  });

  it('fallback over FALLBACK_MAX_SESSIONS: HTTP 503', async () => {
    const s = await startServerProcess({ FALLBACK_MAX_SESSIONS: '1' });
    servers.push(s);
    await connected(s, 'xhr_streaming');
    const err = await connectError(connected(s, 'xhr_streaming'));
    expect([err.reason, err.code]).toEqual(['http', 503]);
  });

  it('a pod without the ws role refuses the upgrade with 404 (it serves no WebSocket route)', async () => {
    const s = await startServerProcess({ ROLES: 'fallback,rest' });
    servers.push(s);
    const err = await connectError(connected(s, 'ws'));
    expect([err.reason, err.code]).toEqual(['http', 404]);
  });

  it('a pod killed (SIGKILL) under open connections: 1006 by the network, on ws and on the stream', async () => {
    const s = await startServerProcess();
    servers.push(s);
    const ws = await connected(s, 'ws');
    const xs = await connected(s, 'xhr_streaming');
    await s.kill();
    const [a, b] = await Promise.all([ws.closed, xs.closed]);
    expect([a.code, a.by]).toEqual([1006, 'network']);
    expect([b.code, b.by]).toEqual([1006, 'network']);
  });

  it('a pod stopped gracefully (SIGTERM): 4200 from the server, on ws and on the stream', async () => {
    const s = await startServerProcess();
    servers.push(s);
    const ws = await connected(s, 'ws');
    const xs = await connected(s, 'xhr_streaming');
    await s.stop();
    const [a, b] = await Promise.all([ws.closed, xs.closed]);
    expect([a.code, a.by]).toEqual([4200, 'server']);
    expect([b.code, b.by]).toEqual([4200, 'server']);
  });
});

describe('pusher client: an edge answering with an HTTP error', () => {
  let edge: Server | undefined;
  afterEach(async () => {
    closeAll();
    edge?.closeAllConnections();
    await new Promise<void>((r) => (edge ? edge.close(() => r()) : r()));
    edge = undefined;
  });

  async function answering(status: number): Promise<number> {
    // What HAProxy does with no backend up: an HTTP error, to upgrades and to plain requests alike.
    edge = createServer((req, res) => {
      req.resume();
      res.writeHead(status, { 'Content-Type': 'text/html' }).end(`<html>${status}</html>`);
    });
    edge.on('upgrade', (_req, socket) => socket.end(`HTTP/1.1 ${status} Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`));
    await new Promise<void>((r) => edge!.listen(0, '127.0.0.1', () => r()));
    return (edge.address() as AddressInfo).port;
  }

  it.each([
    ['ws', 503],
    ['ws', 502],
    ['xhr_streaming', 502],
    ['xhr_polling', 503],
  ] as const)('%s: HTTP %i is a failed connect with reason http and the status', async (transport, status) => {
    const port = await answering(status);
    const err = await connectError(connect({ endpoint: { port }, app: TEST_APP, transport }));
    expect([err.reason, err.code]).toEqual(['http', status]);
  });
});

describe('pusher client: a paused pod (SIGSTOP)', () => {
  let s: ServerProcess | undefined;
  afterEach(async () => {
    closeAll();
    await s?.stop();
  });

  it.each(['ws', 'xhr_streaming'] as const)('%s: the unanswered ping drops the connection as 1006 by the network', async (transport) => {
    s = await startServerProcess();
    const c = await connect({ endpoint: { port: s.port }, app: TEST_APP, transport, activityTimeoutMs: 200, pongTimeoutMs: 300 });
    open.push(c);
    s.pause();
    expect(await c.closed).toEqual({ code: 1006, reason: 'Pong reply not received', by: 'network' });
    s.resume();
  });
});
