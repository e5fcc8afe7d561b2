import { describe, expect, it } from 'vitest';
import { FallbackFrameReader, parseFallbackLine } from './fallback-frames.ts';

describe('parseFallbackLine', () => {
  it('reads open, heartbeat, messages and close frames', () => {
    expect(parseFallbackLine('o')).toEqual({ type: 'open' });
    expect(parseFallbackLine('h')).toEqual({ type: 'heartbeat' });
    expect(parseFallbackLine('a["{\\"event\\":\\"x\\"}","y"]')).toEqual({ type: 'messages', messages: ['{"event":"x"}', 'y'] });
    expect(parseFallbackLine('m"one"')).toEqual({ type: 'messages', messages: ['one'] });
    expect(parseFallbackLine('c[4001,"App not found"]')).toEqual({ type: 'close', code: 4001, reason: 'App not found' });
  });

  it('reports malformed frames instead of throwing', () => {
    expect(parseFallbackLine('a[not json')).toEqual({ type: 'invalid', line: 'a[not json' });
    expect(parseFallbackLine('a[1,2]').type).toBe('invalid');
    expect(parseFallbackLine('c["x"]').type).toBe('invalid');
    expect(parseFallbackLine('z').type).toBe('invalid');
  });
});

describe('FallbackFrameReader', () => {
  it('joins frames split across chunks and only yields complete lines', () => {
    const r = new FallbackFrameReader();
    expect(r.push('o\na["x"')).toEqual([{ type: 'open' }]);
    expect(r.atBoundary).toBe(false);
    expect(r.push(',"y"]\nh\n')).toEqual([{ type: 'messages', messages: ['x', 'y'] }, { type: 'heartbeat' }]);
    expect(r.atBoundary).toBe(true);
    expect(r.received).toBe('o\na["x"'.length + ',"y"]\nh\n'.length);
  });

  it('starts over on reset (a renewed stream)', () => {
    const r = new FallbackFrameReader();
    r.push('a["x"');
    r.reset();
    expect(r.received).toBe(0);
    expect(r.push('h\n')).toEqual([{ type: 'heartbeat' }]);
  });
});
