/**
 * The HTTP-fallback session layer (SockJS-style frames as pusher-js speaks them in Node).
 *
 * A session outlives its HTTP requests. Frames: "o" open (once per session), "a[...]" messages,
 * "h" heartbeat, "c[code,reason]" close; one per line.
 *
 * Streaming: pusher-js aborts a stream once it has consumed more than 256 KiB of it and opens a
 * new one on the same session. Whatever the server wrote after the client's last read would be
 * lost with the aborted request, so a stream stops receiving frames as soon as more than 256 KiB
 * were written to it: the client then sees a fully-consumed buffer over the limit, reconnects, and
 * the frames queued meanwhile go to the new stream. No "o" is sent twice.
 * Frames are written ASCII-only (\uXXXX escapes), so bytes written == characters the client counts.
 *
 * Polling: each request gets "o" (first), or the queued frames, or waits for frames until the
 * poll timeout and answers "h"; then the client polls again.
 */

export interface Receiver {
  readonly kind: 'streaming' | 'polling';
  write(chunk: string): void;
  end(chunk?: string): void;
}

export interface SessionOptions {
  /** pusher-js's MAX_BUFFER_LENGTH. */
  streamLimit: number;
  /** The session ends when no receiving request is attached for this long. */
  disconnectDelayMs: number;
  heartbeatMs: number;
  pollTimeoutMs: number;
  /** Largest "a[...]" chunk written at once on a stream. */
  maxChunk: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  streamLimit: 256 * 1024,
  disconnectDelayMs: 5_000,
  heartbeatMs: 25_000,
  pollTimeoutMs: 25_000,
  maxChunk: 16 * 1024,
};

/** JSON with every non-ASCII character escaped: one byte per character on the wire. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}

export function closeFrame(code: number, reason: string): string {
  return `c[${code},${asciiJson(reason)}]\n`;
}

export class FallbackSession {
  private readonly queue: string[] = [];
  private receiver: Receiver | undefined;
  private streamed = 0;
  private openSent = false;
  private closing: string | undefined;
  private ended = false;
  private detachTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  /** Frames handed to receivers, for tests and metrics. */
  framesWritten = 0;

  constructor(
    readonly id: string,
    private readonly onEnd: () => void,
    private readonly opts: SessionOptions = DEFAULT_SESSION_OPTIONS,
  ) {
    this.armDetachTimer();
  }

  get isOpen(): boolean {
    return this.openSent;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** A receiving request arrived (xhr_streaming or xhr). */
  attach(r: Receiver): void {
    if (this.closing !== undefined) {
      // Closed before any request came: open, hand over what was queued (e.g. the pusher:error), close.
      const open = this.openSent ? '' : 'o\n';
      this.openSent = true;
      const pending = this.queue.length > 0 ? `a${asciiJson(this.queue.splice(0))}\n` : '';
      r.end(open + pending + this.closing);
      this.finish();
      return;
    }
    if (this.ended) {
      r.end(closeFrame(3000, 'Go away!'));
      return;
    }
    this.clearTimers();
    if (this.receiver) this.receiver.end(); // replaced by the client's new request
    this.receiver = r;
    this.streamed = 0;
    if (!this.openSent) {
      this.openSent = true;
      if (r.kind === 'polling') {
        this.release('o\n');
        return;
      }
      this.writeStream('o\n');
    }
    if (r.kind === 'streaming') {
      this.heartbeat = setInterval(() => {
        if (this.receiver === r && this.streamed <= this.opts.streamLimit) this.writeStream('h\n');
      }, this.opts.heartbeatMs);
      this.heartbeat.unref();
    } else {
      this.pollTimer = setTimeout(() => {
        if (this.receiver === r) this.release('h\n');
      }, this.opts.pollTimeoutMs);
      this.pollTimer.unref();
    }
    this.flush();
  }

  /** The request ended or was aborted by the client. */
  detach(r: Receiver): void {
    if (this.receiver !== r) return;
    this.receiver = undefined;
    this.clearTimers();
    this.armDetachTimer();
  }

  /** Queue one Pusher frame for the client. */
  enqueue(frame: string): void {
    if (this.closing !== undefined || this.ended) return;
    this.queue.push(frame);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  /** Close the session: queued frames, then "c[code,reason]". */
  close(code: number, reason: string): void {
    if (this.closing !== undefined || this.ended) return;
    this.closing = closeFrame(code, reason);
    const r = this.receiver;
    if (!r) return; // the next receiving request gets the close frame
    const pending = this.queue.length > 0 ? `a${asciiJson(this.queue.splice(0))}\n` : '';
    this.receiver = undefined;
    r.end(pending + this.closing);
    this.finish();
  }

  /** End the session now (shutdown after the close frame had its chance). */
  terminate(): void {
    this.finish();
  }

  private flush(): void {
    const r = this.receiver;
    if (!r || this.queue.length === 0) return;
    if (r.kind === 'polling') {
      this.release(`a${asciiJson(this.queue.splice(0))}\n`);
      return;
    }
    while (this.queue.length > 0 && this.streamed <= this.opts.streamLimit) {
      let n = 0;
      let size = 2;
      while (n < this.queue.length && (n === 0 || size + this.queue[n]!.length < this.opts.maxChunk)) size += this.queue[n++]!.length + 3;
      this.writeStream(`a${asciiJson(this.queue.splice(0, n))}\n`, n);
    }
  }

  private writeStream(chunk: string, frames = 0): void {
    this.receiver?.write(chunk);
    this.streamed += chunk.length;
    this.framesWritten += frames;
  }

  /** End the current polling response with `chunk`. */
  private release(chunk: string): void {
    const r = this.receiver;
    if (!r) return;
    this.receiver = undefined;
    this.clearTimers();
    r.end(chunk);
    this.armDetachTimer();
  }

  private armDetachTimer(): void {
    if (this.detachTimer) clearTimeout(this.detachTimer);
    this.detachTimer = setTimeout(() => this.finish(), this.opts.disconnectDelayMs);
    this.detachTimer.unref();
  }

  private clearTimers(): void {
    if (this.detachTimer) clearTimeout(this.detachTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.detachTimer = this.heartbeat = this.pollTimer = undefined;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.clearTimers();
    if (this.receiver) {
      this.receiver.end();
      this.receiver = undefined;
    }
    this.onEnd();
  }
}
