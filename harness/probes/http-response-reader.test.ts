import { describe, expect, it } from 'vitest';
import { HttpProtocolError, HttpResponseReader } from './http-response-reader.ts';

const resp = (status: number, body: string): string =>
  `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('HttpResponseReader', () => {
  it('waits for the whole body, then yields the response with its raw bytes', () => {
    const r = new HttpResponseReader();
    const text = resp(200, '{}');
    r.push(Buffer.from(text.slice(0, 20)));
    expect(r.next()).toBeUndefined();
    r.push(Buffer.from(text.slice(20)));
    const got = r.next();
    expect(got?.status).toBe(200);
    expect(got?.body.toString()).toBe('{}');
    expect(got?.raw.toString()).toBe(text);
    expect(r.buffered).toBe(0);
  });

  it('a duplicated response stays in the buffer as the next response (the 2020 shift)', () => {
    const r = new HttpResponseReader();
    const tooLarge = resp(413, '{"error":"too large"}');
    r.push(Buffer.from(tooLarge + tooLarge));
    expect(r.next()?.status).toBe(413);
    const second = r.next();
    expect(second?.status).toBe(413);
    expect(second?.raw.toString()).toBe(tooLarge);
    expect(r.next()).toBeUndefined();
  });

  it('decodes chunked bodies', () => {
    const r = new HttpResponseReader();
    r.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n'));
    expect(r.next()?.body.toString()).toBe('abcde');
  });

  it('204 has no body; a body without length ends with the connection', () => {
    const r = new HttpResponseReader();
    r.push(Buffer.from('HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n\r\nrest'));
    expect(r.next()?.status).toBe(204);
    expect(r.next()).toBeUndefined();
    r.end();
    expect(r.next()?.body.toString()).toBe('rest');
  });

  it('refuses bytes that are not a response', () => {
    const r = new HttpResponseReader();
    r.push(Buffer.from('garbage\r\n\r\n'));
    expect(() => r.next()).toThrow(HttpProtocolError);
  });
});
