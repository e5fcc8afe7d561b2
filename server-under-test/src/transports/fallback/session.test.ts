import { afterEach, describe, expect, it } from 'vitest';
import { asciiJson, FallbackSession, type Receiver, type SessionOptions } from './session.ts';

class FakeReceiver implements Receiver {
  text = '';
  ended = false;
  constructor(readonly kind: 'streaming' | 'polling') {}
  write(chunk: string): void {
    if (this.ended) throw new Error('write after end');
    this.text += chunk;
  }
  end(chunk?: string): void {
    if (chunk) this.write(chunk);
    this.ended = true;
  }
  /** The frames' payloads, in order. */
  messages(): string[] {
    return this.text
      .split('\n')
      .filter((l) => l.startsWith('a'))
      .flatMap((l) => JSON.parse(l.slice(1)) as string[]);
  }
}

const OPTS: SessionOptions = { streamLimit: 1000, disconnectDelayMs: 60_000, heartbeatMs: 60_000, pollTimeoutMs: 60_000, maxChunk: 300 };
const sessions: FallbackSession[] = [];
function session(onEnd: () => void = () => {}, opts = OPTS): FallbackSession {
  const s = new FallbackSession('1/x', onEnd, opts);
  sessions.push(s);
  return s;
}
afterEach(() => {
  for (const s of sessions.splice(0)) s.terminate();
});
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('FallbackSession', () => {
  it('sends "o" once per session, not on a reopened stream', async () => {
    const s = session();
    const r1 = new FakeReceiver('streaming');
    s.attach(r1);
    expect(r1.text).toBe('o\n');
    const r2 = new FakeReceiver('streaming');
    s.attach(r2);
    expect(r1.ended).toBe(true); // replaced
    s.enqueue('{"event":"e"}');
    await tick();
    expect(r2.text).toBe('a["{\\"event\\":\\"e\\"}"]\n');
  });

  it('stops writing to a stream past the limit and gives the rest to the next stream, in order, once', async () => {
    const s = session();
    const r1 = new FakeReceiver('streaming');
    s.attach(r1);
    const frames = Array.from({ length: 40 }, (_, i) => JSON.stringify({ event: 'e', data: `${i}`.padEnd(60, '.') }));
    for (const f of frames) s.enqueue(f);
    await tick();
    expect(r1.text.length).toBeGreaterThan(OPTS.streamLimit);
    expect(r1.text.length).toBeLessThan(OPTS.streamLimit + OPTS.maxChunk + 200);
    expect(s.queued).toBeGreaterThan(0);
    const streams = [r1];
    while (s.queued > 0 && streams.length < 20) {
      const r = new FakeReceiver('streaming');
      s.attach(r); // the client reopening its stream on the same session
      streams.push(r);
    }
    expect(streams.length).toBeGreaterThan(2);
    expect(streams.flatMap((r) => r.messages())).toEqual(frames);
    expect(streams.slice(1).some((r) => r.text.includes('o\n'))).toBe(false);
  });

  it('queues frames while no request is attached', async () => {
    const s = session();
    s.attach(new FakeReceiver('streaming'));
    s.enqueue('"1"');
    s.detach(new FakeReceiver('streaming')); // not the attached one: ignored
    await tick();
    const r = new FakeReceiver('streaming');
    s.enqueue('"2"');
    s.attach(r);
    expect(r.messages()).toEqual(['"2"']);
  });

  it('polling: "o" ends the first request; later requests wait for frames', async () => {
    const s = session();
    const p1 = new FakeReceiver('polling');
    s.attach(p1);
    expect([p1.text, p1.ended]).toEqual(['o\n', true]);
    const p2 = new FakeReceiver('polling');
    s.attach(p2);
    expect(p2.ended).toBe(false);
    s.enqueue('"a"');
    s.enqueue('"b"');
    await tick();
    expect(p2.ended).toBe(true);
    expect(p2.messages()).toEqual(['"a"', '"b"']);
  });

  it('close writes pending frames then c[code,reason] and ends the session', async () => {
    let ended = 0;
    const s = session(() => ended++);
    const r = new FakeReceiver('streaming');
    s.attach(r);
    s.enqueue('"last"');
    s.close(4200, 'bye');
    expect(r.text).toBe('o\na["\\"last\\""]\nc[4200,"bye"]\n');
    expect(r.ended).toBe(true);
    expect(ended).toBe(1);
  });

  it('a closed session without a request answers the next one with the close frame', () => {
    let ended = 0;
    const s = session(() => ended++);
    s.close(4100, 'Over capacity');
    expect(ended).toBe(0);
    const r = new FakeReceiver('polling');
    s.attach(r);
    expect(r.text).toBe('o\nc[4100,"Over capacity"]\n');
    expect(ended).toBe(1);
  });

  it('ends when no request is attached for the disconnect delay', async () => {
    const ended = new Promise<void>((resolve) => session(resolve, { ...OPTS, disconnectDelayMs: 20 }));
    await expect(ended).resolves.toBeUndefined();
  });

  it('asciiJson escapes non-ASCII so bytes equal characters', () => {
    const s = asciiJson(['é€😀']);
    expect(s).toBe('["\\u00e9\\u20ac\\ud83d\\ude00"]');
    expect(JSON.parse(s)).toEqual(['é€😀']);
    expect(Buffer.byteLength(s)).toBe(s.length);
  });
});
