/**
 * The app's auth endpoint, as a team's own backend would host it: pusher-js POSTs
 * `socket_id` and `channel_name` (form-encoded) and gets the `pusher` client's signature back.
 * `/auth` signs with the app secret; `/auth-forged` with a wrong one, so a server that accepts any
 * signature is caught. Listens on 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Pusher from 'pusher';
import { LOOPBACK_HOST, type AppCredentials } from '../load/pusher-client/index.ts';

const MAX_BODY = 16 * 1024;

export interface StartedAuthEndpoint {
  /** `http://127.0.0.1:<port>/auth` */
  readonly url: string;
  /** Signs with a secret the server does not know. */
  readonly forgedUrl: string;
  /** Requests signed so far (evidence that pusher-js really asked). */
  signed(): number;
  stop(): Promise<void>;
}

function signer(app: AppCredentials, secret: string): Pusher {
  return new Pusher({ appId: app.id, key: app.key, secret, host: LOOPBACK_HOST });
}

export async function startAuthEndpoint(app: AppCredentials): Promise<StartedAuthEndpoint> {
  const real = signer(app, app.secret);
  const forged = signer(app, `${app.secret}-forged`);
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      const by = path === '/auth' ? real : path === '/auth-forged' ? forged : undefined;
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const socketId = form.get('socket_id');
      const channel = form.get('channel_name');
      if (req.method !== 'POST' || !by || size > MAX_BODY || !socketId || !channel) {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('expected POST /auth with socket_id and channel_name');
        return;
      }
      const userId = form.get('user_id') ?? `user-${socketId}`;
      const auth = channel.startsWith('presence-') ? by.authorizeChannel(socketId, channel, { user_id: userId, user_info: { name: userId } }) : by.authorizeChannel(socketId, channel);
      count++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(auth));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => resolve());
  });
  const base = `http://${LOOPBACK_HOST}:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/auth`,
    forgedUrl: `${base}/auth-forged`,
    signed: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
