/**
 * WebSocket transport, protocol 7: GET /app/{key}?protocol=7&client=...&version=...
 * Over MAX_CONNECTIONS (2021-09) the upgrade is refused: OVER_CAP_MODE=drop destroys the TCP
 * socket before the handshake (clients see 1006), close-4100 completes it and closes with 4100.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerConfig } from '../../config/env.ts';
import type { Hub } from '../../hub/hub.ts';
import type { LocalConnection } from '../../hub/connection.ts';
import type { Logger } from '../../log.ts';
import type { Metrics } from '../../metrics.ts';
import { CloseCode, errorFrame, PROTOCOL_VERSION } from '../../protocol/messages.ts';
import type { WebhookWriter } from '../../webhooks/webhook-writer.ts';
import { decodeSegment } from '../../boundary/request-target.ts';

const PATH_RE = /^\/app\/([^/?]+)$/;
const TEXT = { binary: false, compress: false, fin: true } as const;

export class WsTransport {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024, clientTracking: false });
  private readonly sockets = new Set<WebSocket>();
  private draining = false;

  constructor(
    private readonly config: ServerConfig,
    private readonly hub: Hub,
    private readonly webhooks: WebhookWriter,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  /** Returns false when the path is not ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = PATH_RE.exec(url.pathname);
    if (!m) return false;
    const sw = this.config.switches;
    if (this.draining) {
      this.metrics.refused.labels('ws', 'draining').inc();
      socket.destroy();
      return true;
    }
    if (sw.maxConnections > 0 && this.sockets.size >= sw.maxConnections) {
      this.metrics.refused.labels('ws', 'max_connections').inc();
      if (sw.overCapMode === 'drop') {
        socket.destroy(); // no HTTP response, no close frame: the client sees 1006
        return true;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        ws.send(errorFrame(CloseCode.OverCapacity, 'Over capacity'));
        ws.close(CloseCode.OverCapacity, 'Over capacity');
      });
      return true;
    }
    const key = decodeSegment(m[1]!) ?? '';
    // Anything but a plain integer (NaN, 7.5, 1e400) is an unsupported protocol, not version 7.
    const protocolParam = url.searchParams.get('protocol') ?? String(PROTOCOL_VERSION);
    const protocol = /^\d{1,3}$/.test(protocolParam) ? Number(protocolParam) : -1;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (key !== this.config.appKey) {
        this.metrics.refused.labels('ws', 'unknown_app').inc();
        ws.send(errorFrame(CloseCode.AppNotFound, `App key ${key.slice(0, 200)} not in this cluster`));
        ws.close(CloseCode.AppNotFound, 'App not found');
        return;
      }
      if (protocol < 5 || protocol > PROTOCOL_VERSION) {
        ws.send(errorFrame(CloseCode.UnsupportedProtocol, `Unsupported protocol version ${protocolParam.slice(0, 20)}: expected 5 to ${PROTOCOL_VERSION}`));
        ws.close(CloseCode.UnsupportedProtocol, 'Unsupported protocol');
        return;
      }
      this.accept(ws);
    });
    return true;
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    // Fan-out frames are pre-framed once (SharedFrame.wsFrame) and written straight to the TCP
    // socket. Safe with ws because compression is off: its own writes are never deferred.
    const tcp = (ws as unknown as { _socket: Socket })._socket;
    let local: LocalConnection | undefined;
    ws.on('message', (data, isBinary) => {
      if (local && !isBinary) this.hub.message(local, data.toString());
    });
    ws.on('close', () => {
      this.sockets.delete(ws);
      if (local) this.hub.closed(local);
    });
    ws.on('error', (err) => this.log.debug('ws error', { err: err.message }));
    local = this.hub.open(
      {
        transport: 'ws',
        send: (f, shared) => {
          if (ws.readyState !== ws.OPEN) return;
          // A client that does not read lets unsent frames pile up here: drop it at the bound
          // instead of holding its backlog in memory.
          if (tcp.writableLength > this.config.limits.wsMaxBufferedBytes) {
            this.metrics.clientsDropped.labels('send_buffer_full').inc();
            ws.terminate();
            return;
          }
          if (shared) tcp.write(shared.wsFrame);
          else ws.send(f, TEXT);
        },
        close: (code, reason) => ws.close(code, reason),
      },
      this.webhooks,
    );
  }

  get size(): number {
    return this.sockets.size;
  }

  /** Refuse new upgrades; terminate what is still open after the clients were told to reconnect. */
  drain(): void {
    this.draining = true;
  }

  terminateAll(): void {
    for (const ws of this.sockets) ws.terminate();
  }
}
