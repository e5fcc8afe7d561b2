/** The WebSocket transport on `ws`: `/app/{key}?protocol=7&client=js&version=8.4.0`. */
import WebSocket from 'ws';
import { ConnectError, connectErrorFromNode } from './connect-error.ts';
import { wsUrl, type Endpoint } from './endpoint.ts';
import { ABNORMAL_CLOSURE, type CloseInfo, type RawSocket, type SocketListener } from './raw-socket.ts';

export interface OpenSocketOptions {
  endpoint: Endpoint;
  key: string;
  /** Until the transport is open (for fallback: the `o` frame). */
  timeoutMs: number;
  listener: SocketListener;
  /** HTTP fallback only: continue this session, whose open frame was already read, instead of opening one. */
  session?: FallbackSessionPath;
}

/** A fallback session's place under `/pusher/app/{key}/`: `{server}/{session}`. */
export interface FallbackSessionPath {
  server: string;
  session: string;
}

/** How long a client-initiated close may wait for the server's close frame before the socket is cut. */
const CLOSE_GRACE_MS = 1000;

export function openWsSocket(opts: OpenSocketOptions): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(opts.endpoint, opts.key), { perMessageDeflate: false, handshakeTimeout: opts.timeoutMs });
    let opened = false;
    let settled = false;
    let closedByClient = false;
    let lastError: NodeJS.ErrnoException | undefined;

    const fail = (err: ConnectError): void => {
      if (settled) return;
      settled = true;
      reject(err);
    };

    // A 502/503 from the edge (or anything but 101) is an HTTP failure, not a socket error.
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      fail(new ConnectError('http', res.statusCode ?? 0, `upgrade answered HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.on('error', (err: NodeJS.ErrnoException) => {
      lastError = err;
    });
    ws.on('open', () => {
      opened = true;
      settled = true;
      resolve(socket);
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) opts.listener.onMessage(data.toString());
    });
    ws.on('close', (code, reason) => {
      if (!opened) {
        if (lastError && /handshake has timed out/i.test(lastError.message)) fail(new ConnectError('timeout', undefined, lastError.message));
        else if (lastError) fail(connectErrorFromNode(lastError));
        else fail(new ConnectError('close', code, 'closed before the handshake completed'));
        return;
      }
      const info: CloseInfo = {
        code,
        reason: reason.toString(),
        by: closedByClient ? 'client' : code === ABNORMAL_CLOSURE ? 'network' : 'server',
      };
      opts.listener.onClose(info);
    });

    const socket: RawSocket = {
      transport: 'ws',
      refusedSends: 0,
      sendsSettled: true,
      send: (text) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(text);
      },
      close: (code = 1000, reason = '') => {
        if (closedByClient) return;
        closedByClient = true;
        if (ws.readyState === WebSocket.OPEN) {
          ws.close(code, reason);
          setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
        } else {
          ws.terminate();
        }
      },
    };
  });
}
