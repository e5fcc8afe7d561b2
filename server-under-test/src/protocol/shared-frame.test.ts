import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';

// ws's frame parser is not in its ESM typings; it is what ws clients use to read frames.
const { Receiver } = createRequire(import.meta.url)('ws') as { Receiver: new (o: { isServer: boolean }) => NodeJS.WritableStream & NodeJS.EventEmitter };
import { SharedFrame } from './shared-frame.ts';

/** Parse our bytes with ws's own frame parser, as a client would. */
function parse(buf: Buffer): Promise<{ text: string; binary: boolean }> {
  return new Promise((resolve, reject) => {
    const r = new Receiver({ isServer: false });
    r.on('message', (data: Buffer, isBinary: boolean) => resolve({ text: data.toString('utf8'), binary: isBinary }));
    r.on('error', reject);
    r.write(buf);
  });
}

describe('SharedFrame', () => {
  it.each([5, 125, 126, 65535, 65536, 70000])('encodes a %i-byte payload as one unmasked text frame', async (n) => {
    const text = 'é'.repeat(Math.floor(n / 2)) + (n % 2 ? 'x' : '');
    const f = new SharedFrame(text);
    expect(f.utf8.length).toBe(n);
    expect(await parse(f.wsFrame)).toEqual({ text, binary: false });
    expect(f.wsFrame).toBe(f.wsFrame); // built once
  });
});
