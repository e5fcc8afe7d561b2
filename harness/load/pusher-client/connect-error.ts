import type { FailureReason } from '../../history/events.ts';

/**
 * A connection attempt that never reached `pusher:connection_established`. `reason` and `code` use
 * the history's vocabulary: `close` + WebSocket/Pusher close code (1006, 4xxx), `http` + status
 * (502, 503), `refused`, `timeout`, `error`.
 */
export class ConnectError extends Error {
  readonly code?: number;
  constructor(
    readonly reason: FailureReason,
    code: number | undefined,
    detail: string,
  ) {
    super(`connect failed (${reason}${code === undefined ? '' : ` ${code}`}): ${detail}`);
    if (code !== undefined) this.code = code;
  }
}

/** Maps a Node socket error before any response to the history's reasons. */
export function connectErrorFromNode(err: NodeJS.ErrnoException): ConnectError {
  if (err.code === 'ECONNREFUSED') return new ConnectError('refused', undefined, err.message);
  // The peer dropped the TCP connection without answering: what a browser reports as 1006.
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || /socket hang up/i.test(err.message)) {
    return new ConnectError('close', 1006, err.message);
  }
  if (err.code === 'ETIMEDOUT') return new ConnectError('timeout', undefined, err.message);
  return new ConnectError('error', undefined, err.message);
}
