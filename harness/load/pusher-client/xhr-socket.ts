/**
 * The HTTP fallback as pusher-js runs it in Node, under `/pusher/app/{key}/{server}/{session}/`:
 * `xhr_streaming` (one long POST whose body streams frames; renewed on the same session past
 * 256 KiB) or `xhr` (long polling: one POST per batch of frames), and `xhr_send` to send (a JSON
 * array of frames). A receive request that ends or fails once open is reported as 1006, as
 * pusher-js reports "Connection interrupted".
 */
import { randomInt } from 'node:crypto';
import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import { ConnectError, connectErrorFromNode } from './connect-error.ts';
import { CLIENT_QUERY, fallbackSessionBase } from './endpoint.ts';
import { FallbackFrameReader, type FallbackFrame } from './fallback-frames.ts';
import { ABNORMAL_CLOSURE, type CloseInfo, type RawSocket } from './raw-socket.ts';
import type { FallbackSessionPath, OpenSocketOptions } from './ws-socket.ts';

export type FallbackTransport = 'xhr_streaming' | 'xhr_polling';

/** pusher-js's MAX_BUFFER_LENGTH: a stream is renewed once it has carried more than this. */
export const STREAM_RENEW_BYTES = 256 * 1024;

/** pusher-js names a session `{0..999}/{8 base-32 characters}`. */
export function newSessionPath(): FallbackSessionPath {
  let session = '';
  for (let i = 0; i < 8; i++) session += randomInt(32).toString(32);
  return { server: String(randomInt(1000)), session };
}

let requestCounter = 0;

class XhrSocket implements RawSocket {
  private state: 'connecting' | 'open' | 'closed' = 'connecting';
  /** Bumped whenever the receive request is replaced, so a stale request's events are ignored. */
  private generation = 0;
  private receiving: ClientRequest | undefined;
  private readonly reader = new FallbackFrameReader();
  private readonly outbox: string[] = [];
  private sending = false;
  refusedSends = 0;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 2 });
  private readonly base: string;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly transport: FallbackTransport,
    private readonly opts: OpenSocketOptions,
    private readonly resolve: (s: RawSocket) => void,
    private readonly reject: (e: ConnectError) => void,
  ) {
    const { server, session } = opts.session ?? newSessionPath();
    this.base = fallbackSessionBase(opts.endpoint, opts.key, server, session);
    this.timer = setTimeout(() => this.fail(new ConnectError('timeout', undefined, `no open frame after ${opts.timeoutMs} ms`)), opts.timeoutMs);
    // A continued session is open already: its next receive carries what the server queued since.
    if (opts.session) this.opened();
    this.receive();
  }

  private url(route: string): string {
    return `${this.base}/${route}?${CLIENT_QUERY}&t=${Date.now()}&n=${++requestCounter}`;
  }

  private receive(): void {
    const gen = ++this.generation;
    this.reader.reset();
    const route = this.transport === 'xhr_streaming' ? 'xhr_streaming' : 'xhr';
    const req = request(this.url(route), { method: 'POST', agent: this.agent, headers: { 'Content-Type': 'application/json', 'Content-Length': 0 } });
    this.receiving = req;
    req.on('response', (res: IncomingMessage) => {
      if (gen !== this.generation) return void res.resume();
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        res.resume();
        this.interrupted(status === 0 ? 'no status' : status, new ConnectError('http', status, `${route} answered HTTP ${status}`));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (gen === this.generation) this.onChunk(chunk);
      });
      res.on('end', () => {
        if (gen === this.generation) this.onReceiveEnd();
      });
      res.on('error', () => undefined);
      res.on('aborted', () => {
        if (gen === this.generation) this.interrupted('aborted', new ConnectError('close', ABNORMAL_CLOSURE, `${route} aborted`));
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (gen === this.generation) this.interrupted(err.message, connectErrorFromNode(err));
    });
    req.end();
  }

  private onChunk(chunk: string): void {
    for (const frame of this.reader.push(chunk)) {
      this.onFrame(frame);
      if (this.state === 'closed') return;
    }
    if (this.transport === 'xhr_streaming' && this.reader.atBoundary && this.reader.received > STREAM_RENEW_BYTES) {
      this.receiving?.destroy();
      this.receive();
    }
  }

  private onFrame(frame: FallbackFrame): void {
    switch (frame.type) {
      case 'open':
        if (this.state === 'connecting') {
          this.opened();
        } else {
          this.closeWith({ code: ABNORMAL_CLOSURE, reason: 'Server lost session', by: 'server' });
        }
        return;
      case 'heartbeat':
        // pusher-js answers a streamed heartbeat with an empty send, which keeps the session alive.
        if (this.transport === 'xhr_streaming' && this.state === 'open') this.post('[]');
        return;
      case 'messages':
        if (this.state === 'open') for (const m of frame.messages) this.opts.listener.onMessage(m);
        return;
      case 'close':
        if (this.state === 'connecting') this.fail(new ConnectError('close', frame.code, frame.reason));
        else this.closeWith({ code: frame.code, reason: frame.reason, by: 'server' });
        return;
      case 'invalid':
        return;
    }
  }

  private opened(): void {
    this.state = 'open';
    clearTimeout(this.timer);
    this.resolve(this);
  }

  private onReceiveEnd(): void {
    if (this.state === 'closed') return;
    if (this.transport === 'xhr_polling') {
      this.receive(); // each poll answers one batch; ask again
      return;
    }
    this.interrupted(200, new ConnectError('close', ABNORMAL_CLOSURE, 'stream ended before the open frame'));
  }

  /** The receive side broke: before open it is a failed connect, after it a 1006 drop. */
  private interrupted(what: string | number, beforeOpen: ConnectError): void {
    if (this.state === 'connecting') this.fail(beforeOpen);
    else this.closeWith({ code: ABNORMAL_CLOSURE, reason: `Connection interrupted (${what})`, by: 'network' });
  }

  get sendsSettled(): boolean {
    return !this.sending && this.outbox.length === 0;
  }

  send(text: string): void {
    if (this.state !== 'open') return;
    this.outbox.push(text);
    this.pump();
  }

  /** One xhr_send at a time, so frames reach the server in order. */
  private pump(): void {
    if (this.sending || this.outbox.length === 0 || this.state !== 'open') return;
    this.post(JSON.stringify(this.outbox.splice(0)));
  }

  private post(body: string): void {
    this.sending = true;
    const done = (refused: boolean): void => {
      if (!this.sending) return;
      this.sending = false;
      if (refused) this.refusedSends++;
      this.pump();
    };
    const req = request(this.url('xhr_send'), {
      method: 'POST',
      agent: this.agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      const refused = (res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299;
      res.resume();
      res.on('end', () => done(refused));
      res.on('error', () => done(true));
    });
    // pusher-js ignores send failures; a dead session shows on the receive side.
    req.on('error', () => done(true));
    req.end(body);
  }

  close(code = 1000, reason = ''): void {
    if (this.state === 'connecting') this.fail(new ConnectError('error', undefined, 'closed by the client while connecting'));
    else this.closeWith({ code, reason, by: 'client' });
  }

  private fail(err: ConnectError): void {
    if (this.state !== 'connecting') return;
    this.teardown();
    this.reject(err);
  }

  private closeWith(info: CloseInfo): void {
    if (this.state !== 'open') return;
    this.teardown();
    this.opts.listener.onClose(info);
  }

  private teardown(): void {
    this.state = 'closed';
    this.generation++;
    clearTimeout(this.timer);
    this.receiving?.destroy();
    this.receiving = undefined;
    this.outbox.length = 0;
    this.agent.destroy();
  }
}

export function openXhrSocket(transport: FallbackTransport, opts: OpenSocketOptions): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    new XhrSocket(transport, opts, resolve, reject);
  });
}
