/**
 * One HTTP/1.1 connection written and read by hand, one request at a time. Unlike Node's http
 * client (which drops a socket that sends an unasked-for response), it reads the next response
 * off the wire as a keep-alive client in the 2020-01 report did, and keeps the raw bytes as
 * evidence. Without keep-alive, each request gets its own connection (`Connection: close`); a
 * response that says `Connection: close` ends its connection too, as HTTP/1.1 asks of a client.
 */
import { connect, type Socket } from 'node:net';
import { LOOPBACK_HOST, assertLoopback, type Endpoint, type SignedRequest } from '../load/pusher-client/index.ts';
import { HttpResponseReader, type ParsedResponse } from './http-response-reader.ts';

export interface RawResponse extends ParsedResponse {
  /** Which connection carried it (c1, c2, ...). */
  connection: string;
}

export interface RawHttpOptions {
  keepAlive: boolean;
  timeoutMs?: number;
  /** Every response read off the wire, in arrival order (index: 1-based on its connection). */
  onResponse?(response: ParsedResponse, connection: string, index: number): void;
  /** The connection has now carried more responses than requests were sent on it. */
  onUnsolicited?(response: ParsedResponse, connection: string): void;
}

interface Waiting {
  resolve(r: RawResponse): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class RawHttpConnection {
  private socket: Socket | undefined;
  private reader = new HttpResponseReader();
  private unread: ParsedResponse[] = [];
  private waiting: Waiting | undefined;
  private connections = 0;
  private current = '';
  private sent = 0;
  private received = 0;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly opts: RawHttpOptions,
  ) {
    assertLoopback(endpoint);
  }

  get connectionId(): string {
    return this.current;
  }

  private open(): Socket {
    const socket = connect({ host: LOOPBACK_HOST, port: this.endpoint.port });
    socket.setNoDelay(true);
    this.socket = socket;
    this.reader = new HttpResponseReader();
    this.unread = [];
    this.current = `c${++this.connections}`;
    this.sent = 0;
    this.received = 0;
    const id = this.current;
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.reader.push(chunk);
      this.drain(id);
    });
    socket.on('end', () => {
      if (this.socket !== socket) return;
      this.reader.end();
      this.drain(id);
      this.dropSocket(new Error('connection closed by the server'));
    });
    socket.on('error', (err) => {
      if (this.socket === socket) this.dropSocket(err);
    });
    socket.on('close', () => {
      if (this.socket === socket) this.dropSocket(new Error('connection closed'));
    });
    return socket;
  }

  private drain(id: string): void {
    let r: ParsedResponse | undefined;
    try {
      r = this.reader.next();
    } catch (err) {
      this.dropSocket(err as Error);
      return;
    }
    while (r) {
      this.opts.onResponse?.(r, id, ++this.received);
      if (this.received > this.sent) this.opts.onUnsolicited?.(r, id);
      const w = this.waiting;
      if (w) {
        this.waiting = undefined;
        clearTimeout(w.timer);
        w.resolve({ ...r, connection: id });
        // A server that answers `Connection: close` ends the connection: the next request opens a new one.
        if (!this.opts.keepAlive || /\bclose\b/i.test(r.headers.connection ?? '')) this.dropSocket(undefined);
      } else {
        this.unread.push(r);
      }
      try {
        r = this.reader.next();
      } catch (err) {
        this.dropSocket(err as Error);
        return;
      }
    }
  }

  private dropSocket(err: Error | undefined): void {
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
    const w = this.waiting;
    if (w && err) {
      this.waiting = undefined;
      clearTimeout(w.timer);
      w.reject(err);
    }
  }

  /** Sends one request and resolves with the next response read from the connection. */
  request(req: SignedRequest): Promise<RawResponse> {
    if (this.waiting) return Promise.reject(new Error('a request is already waiting on this connection'));
    const socket = this.socket && !this.socket.destroyed ? this.socket : this.open();
    const head = [
      `${req.method} ${req.pathAndQuery} HTTP/1.1`,
      `Host: ${LOOPBACK_HOST}:${this.endpoint.port}`,
      `Connection: ${this.opts.keepAlive ? 'keep-alive' : 'close'}`,
    ];
    if (req.body) head.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(req.body)}`);
    socket.write(`${head.join('\r\n')}\r\n\r\n${req.body}`);
    this.sent++;
    // A response already waiting in the buffer is what a keep-alive client reads next.
    const early = this.unread.shift();
    if (early) return Promise.resolve({ ...early, connection: this.current });
    const timeoutMs = this.opts.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        // The connection's state is unknown now; start the next request on a fresh one.
        this.dropSocket(undefined);
        reject(new Error(`no response after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting = { resolve, reject, timer };
    });
  }

  close(): void {
    this.dropSocket(new Error('closed by the probe'));
  }
}
