/**
 * Test and fuzz helper: one raw exchange over TCP to 127.0.0.1, so a request can carry bytes an
 * HTTP client library would refuse to send (broken percent-encodings, oversize headers, bad syntax).
 */
import { connect } from 'node:net';

export interface RawAnswer {
  /** HTTP status of the first response line, or undefined when the server closed without one. */
  status: number | undefined;
  text: string;
}

/** Send `request` and collect what comes back until the server closes or `timeoutMs` passes. */
export function rawExchange(port: number, request: string | Buffer, timeoutMs = 2000, opts: { untilHeaders?: boolean } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : undefined, text });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      text += d;
      // An accepted upgrade stays open: its answer is complete with the header block.
      if (text.length > 64 * 1024 || (opts.untilHeaders && text.includes('\r\n\r\n'))) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(request);
  });
}

/** A complete HTTP/1.1 request with Connection: close. */
export function rawRequest(method: string, target: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body.length > 0 || method === 'POST') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** The headers of a WebSocket upgrade to `target`. */
export function rawUpgrade(target: string): string {
  return [
    `GET ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    '',
    '',
  ].join('\r\n');
}
