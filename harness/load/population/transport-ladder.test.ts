import { describe, expect, it } from 'vitest';
import { TransportLadder } from './transport-ladder.ts';

describe('TransportLadder', () => {
  it('falls back to xhr_streaming after N consecutive WebSocket failures, then to xhr_polling', () => {
    const l = new TransportLadder(2);
    expect(l.current).toBe('ws');
    expect(l.failed()).toBe(false);
    expect(l.failed()).toBe(true);
    expect(l.current).toBe('xhr_streaming');
    l.failed();
    l.failed();
    expect(l.current).toBe('xhr_polling');
    l.failed();
    l.failed();
    expect(l.current).toBe('xhr_polling');
  });

  it('a success in between resets the count', () => {
    const l = new TransportLadder(2);
    l.failed();
    l.succeeded();
    l.failed();
    expect(l.current).toBe('ws');
  });
});
