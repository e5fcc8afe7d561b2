/**
 * Reading a request body with two bounds: a size (413) and a deadline (408), so a client that
 * trickles its body cannot hold a request open for as long as it likes.
 */
import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; status: 400 | 408 | 413; reason: string };

export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (r: BodyResult): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      req.off('data', onData);
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      // Beyond the limit the rest is read and dropped, so the 413 reaches the client.
      if (size <= maxBytes) chunks.push(chunk);
    };
    const timer =
      timeoutMs > 0
        ? setTimeout(() => finish({ ok: false, status: 408, reason: `Request body not received within ${timeoutMs} ms` }), timeoutMs)
        : undefined;
    req.on('data', onData);
    req.once('end', () =>
      finish(size > maxBytes ? { ok: false, status: 413, reason: `Request body too large: limit is ${maxBytes} bytes` } : { ok: true, body: Buffer.concat(chunks) }),
    );
    req.once('error', () => finish({ ok: false, status: 400, reason: 'Request body aborted' }));
    req.once('aborted', () => finish({ ok: false, status: 400, reason: 'Request body aborted' }));
  });
}
