/**
 * Answers written straight to a socket, where Node's HTTP layer gives no ServerResponse: an
 * upgrade refused before the WebSocket handshake, and requests the HTTP parser rejected
 * (oversize headers, broken syntax, a client too slow to send its request).
 */
import type { Duplex } from 'node:stream';
import type { Metrics } from '../metrics.ts';

const REASONS: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };

function writeAndClose(socket: Duplex, status: number, message: string): void {
  if (socket.writable) {
    const body = `${message}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  // end() flushes the answer; destroy soon after so a client that never reads cannot hold the socket.
  setTimeout(() => socket.destroy(), 1000).unref();
}

export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  writeAndClose(socket, status, message);
}

/** Node's HTTP parser errors, by code: what the client did wrong and what it is told. */
export function clientErrorAnswer(code: string | undefined): { status: number; reason: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, reason: 'header_overflow' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, reason: 'request_timeout' };
    case 'HPE_URI_TOO_LONG':
      return { status: 414, reason: 'target_too_long' };
    default:
      return { status: 400, reason: 'parse_error' };
  }
}

/** server.on('clientError'): answer the client's mistake (or just close a reset socket), count it. */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, metrics: Metrics): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, reason } = clientErrorAnswer(err.code);
  metrics.rejectedRequests.labels('http', reason).inc();
  if (reason === 'request_timeout') metrics.clientsDropped.labels('slow_request').inc();
  writeAndClose(socket, status, `${REASONS[status] ?? 'Error'}: ${err.code ?? 'invalid request'}`);
}
