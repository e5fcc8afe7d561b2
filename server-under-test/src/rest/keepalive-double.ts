/**
 * Switch KEEPALIVE_DOUBLE_4XX (2020-01 report): a rejected request's 4XX response is written to
 * the connection a second time. On a keep-alive connection the client reads the copy as the
 * answer to its next request, and every later response is shifted by one. When the connection is
 * closed after the response (a proxy without keep-alive, or `Connection: close`) the copy cannot be
 * written and the bug stays masked.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';

export function rawResponse(status: number, body: string, contentType = 'application/json'): string {
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
    `Content-Type: ${contentType}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `Connection: keep-alive\r\n\r\n${body}`
  );
}

/** After `res` finished, write its copy on the same socket if that socket is still usable. */
export function writeResponseTwice(res: ServerResponse, status: number, body: string, contentType?: string): void {
  const socket = res.socket;
  res.once('finish', () => {
    if (!socket || socket.destroyed || !socket.writable || socket.writableEnded) return;
    socket.write(rawResponse(status, body, contentType));
  });
}
