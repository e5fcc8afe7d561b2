/**
 * Reads HTTP/1.1 responses off a byte stream, one after another, keeping each response's exact
 * bytes. A keep-alive client reads "the next response" from the connection whatever request it
 * belongs to: that is how one duplicated response shifts every later one (2020-01 report).
 */

export interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The response exactly as it came off the wire. */
  raw: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');
/** Headers larger than this are not HTTP we expect; stop instead of buffering without end. */
const MAX_HEADER_BYTES = 64 * 1024;

export class HttpProtocolError extends Error {}

export class HttpResponseReader {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  /** The connection closed: a response delimited by the close is now complete. */
  end(): void {
    this.ended = true;
  }

  get buffered(): number {
    return this.buf.length;
  }

  /** The next complete response, removed from the buffer; undefined until one is complete. */
  next(): ParsedResponse | undefined {
    const headerEnd = this.buf.indexOf(HEADER_END);
    if (headerEnd < 0) {
      if (this.buf.length > MAX_HEADER_BYTES) throw new HttpProtocolError(`no end of headers in ${this.buf.length} bytes`);
      return undefined;
    }
    const head = this.buf.subarray(0, headerEnd).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
    if (!m) throw new HttpProtocolError(`not a status line: ${JSON.stringify((head[0] ?? '').slice(0, 80))}`);
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const bodyStart = headerEnd + HEADER_END.length;
    const framed = this.frameBody(status, headers, bodyStart);
    if (!framed) return undefined;
    const raw = this.buf.subarray(0, framed.end);
    this.buf = this.buf.subarray(framed.end);
    return { status, headers, body: framed.body, raw: Buffer.from(raw) };
  }

  private frameBody(status: number, headers: Record<string, string>, start: number): { body: Buffer; end: number } | undefined {
    if ((status >= 100 && status < 200) || status === 204 || status === 304) return { body: Buffer.alloc(0), end: start };
    if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) return this.chunked(start);
    const length = headers['content-length'];
    if (length !== undefined) {
      const n = Number(length);
      if (!Number.isInteger(n) || n < 0) throw new HttpProtocolError(`bad content-length ${length}`);
      if (this.buf.length < start + n) return undefined;
      return { body: Buffer.from(this.buf.subarray(start, start + n)), end: start + n };
    }
    // No length: the body runs to the end of the connection.
    if (!this.ended) return undefined;
    return { body: Buffer.from(this.buf.subarray(start)), end: this.buf.length };
  }

  private chunked(start: number): { body: Buffer; end: number } | undefined {
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      const lineEnd = this.buf.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(this.buf.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
      if (Number.isNaN(size)) throw new HttpProtocolError('bad chunk size');
      const dataStart = lineEnd + 2;
      if (size === 0) {
        // Trailers (none expected) end with an empty line.
        const trailerEnd = this.buf.indexOf('\r\n', dataStart);
        if (trailerEnd < 0) return undefined;
        return { body: Buffer.concat(parts), end: trailerEnd + 2 };
      }
      if (this.buf.length < dataStart + size + 2) return undefined;
      parts.push(this.buf.subarray(dataStart, dataStart + size));
      at = dataStart + size + 2;
    }
  }
}
