/**
 * What every transport gives the Pusher layer: text frames in and out, and one close report.
 * Listeners are given at creation so that frames arriving together with the open are never lost.
 */
import type { Transport } from '../../scenario/vocabulary.ts';

/** The transports this client speaks (the server has no raw SockJS endpoint). */
export type ClientTransport = Exclude<Transport, 'sockjs'>;
export const CLIENT_TRANSPORTS: readonly ClientTransport[] = ['ws', 'xhr_streaming', 'xhr_polling'];

export interface CloseInfo {
  code: number;
  reason: string;
  /** `client`: we closed it; `server`: a close frame came; `network`: dropped without one (1006). */
  by: 'client' | 'server' | 'network';
}

export interface SocketListener {
  onMessage(text: string): void;
  /** Called once, only after the socket opened. */
  onClose(info: CloseInfo): void;
}

export interface RawSocket {
  readonly transport: ClientTransport;
  send(text: string): void;
  /**
   * Sends the server refused or that failed (an `xhr_send` answered other than 2xx, or an error).
   * Clients ignore them, as pusher-js does; a probe reads them to know whether a frame reached the
   * server. A WebSocket frame cannot be refused on its own: a broken socket closes instead (0).
   */
  readonly refusedSends: number;
  /** No send is queued or in flight. */
  readonly sendsSettled: boolean;
  /** Client-initiated close; onClose reports `by: 'client'`. */
  close(code?: number, reason?: string): void;
}

/** Code reported when a socket dies without a close frame (RFC 6455 §7.1.5). */
export const ABNORMAL_CLOSURE = 1006;
