/**
 * The HTTP fallback's SockJS-style frames, one per line: `o` open, `h` heartbeat, `a[...]` a JSON
 * array of Pusher frames (as strings), `m"..."` one message, `c[code,"reason"]` close.
 */

export type FallbackFrame =
  | { type: 'open' }
  | { type: 'heartbeat' }
  | { type: 'messages'; messages: string[] }
  | { type: 'close'; code: number; reason: string }
  | { type: 'invalid'; line: string };

export function parseFallbackLine(line: string): FallbackFrame {
  const kind = line.charAt(0);
  const rest = line.slice(1);
  try {
    switch (kind) {
      case 'o':
        return { type: 'open' };
      case 'h':
        return { type: 'heartbeat' };
      case 'a': {
        const v: unknown = JSON.parse(rest || '[]');
        if (Array.isArray(v) && v.every((m) => typeof m === 'string')) return { type: 'messages', messages: v };
        break;
      }
      case 'm': {
        const v: unknown = JSON.parse(rest || 'null');
        if (typeof v === 'string') return { type: 'messages', messages: [v] };
        break;
      }
      case 'c': {
        const v: unknown = JSON.parse(rest || '[]');
        if (Array.isArray(v) && typeof v[0] === 'number') return { type: 'close', code: v[0], reason: typeof v[1] === 'string' ? v[1] : '' };
        break;
      }
    }
  } catch {
    // fall through: a malformed frame is reported, not thrown
  }
  return { type: 'invalid', line };
}

/**
 * Splits a streamed body into frames as it arrives. Tracks the bytes consumed so the stream can be
 * renewed past pusher-js's 256 KiB buffer limit only at a frame boundary.
 */
export class FallbackFrameReader {
  private partial = '';
  /** Characters received on the current stream. */
  received = 0;

  push(chunk: string): FallbackFrame[] {
    this.received += chunk.length;
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines.filter((l) => l.length > 0).map(parseFallbackLine);
  }

  /** Everything received has been consumed: no half frame is pending. */
  get atBoundary(): boolean {
    return this.partial.length === 0;
  }

  reset(): void {
    this.partial = '';
    this.received = 0;
  }
}
