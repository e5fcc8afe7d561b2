import { describe, expect, it } from 'vitest';
import { RateLimiter } from './connection.ts';

describe('RateLimiter', () => {
  it('allows `rate` events at once, then refills over time', () => {
    const r = new RateLimiter(10, 0);
    let allowed = 0;
    for (let i = 0; i < 15; i++) if (r.take(0)) allowed++;
    expect(allowed).toBe(10);
    expect(r.take(50)).toBe(false); // half a token
    expect(r.take(100)).toBe(true); // one token after 100 ms at 10/s
    expect(r.take(100)).toBe(false);
  });
});
