import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressCounter } from './address-limit.ts';

describe('AddressCounter (property)', () => {
  it('never admits more than max open connections per address, and frees a slot on release', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(fc.boolean(), fc.constantFrom('a', 'b', 'c')), { maxLength: 60 }), (max, ops) => {
        const counter = new AddressCounter(max);
        const open: Record<string, number> = {};
        for (const [connect, addr] of ops) {
          if (connect) {
            const admitted = counter.admit(addr);
            expect(admitted).toBe((open[addr] ?? 0) < max);
            if (admitted) open[addr] = (open[addr] ?? 0) + 1;
          } else if ((open[addr] ?? 0) > 0) {
            counter.release(addr);
            open[addr]!--;
          }
          expect(counter.count(addr)).toBe(open[addr] ?? 0);
          expect(counter.count(addr)).toBeLessThanOrEqual(max);
        }
      }),
    );
  });
});
