/**
 * Switch KEEPALIVE_DOUBLE_4XX (2020-01 report): a rejected request's 4XX response is sent twice on
 * its connection. The copy stays in the connection's output and goes out ahead of the response to
 * the next request on that connection, so the client reads it as the answer to that request and
 * every later response is shifted by one. When the connection is closed after each response (the
 * proxy without keep-alive that masked the bug for years, or `Connection: close`), there is no
 * next request on it and the copy is never seen.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export function rawResponse(status: number, body: string, contentType = 'application/json'): string {
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
    `Content-Type: ${contentType}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `Connection: keep-alive\r\n\r\n${body}`
  );
}

export class DoubleResponder {
  private readonly pending = new WeakMap<Socket, string[]>();

  /** Remember a second copy of a 4XX response that was just written on `res`'s connection. */
  duplicate(res: ServerResponse, status: number, body: string): void {
    const socket = res.socket;
    if (!socket) return;
    const list = this.pending.get(socket) ?? [];
    list.push(rawResponse(status, body));
    this.pending.set(socket, list);
  }

  /** A new request on a connection: whatever copies it holds are written first. */
  beforeRequest(req: IncomingMessage): void {
    const socket = req.socket;
    const list = this.pending.get(socket);
    if (!list) return;
    this.pending.delete(socket);
    if (!socket.destroyed && socket.writable) for (const raw of list) socket.write(raw);
  }
}
