import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.ts';

describe('Limiter', () => {
  it('unlimited by default: runs everything', async () => {
    const l = new Limiter(0, 0, 0);
    const r = await Promise.all(Array.from({ length: 50 }, (_, i) => l.run(() => i)));
    expect(r.every((x) => x !== undefined)).toBe(true);
  });

  it('queues beyond maxConcurrent and refuses beyond the queue limit', async () => {
    const l = new Limiter(2, 3, 0);
    const gates: (() => void)[] = [];
    const started: number[] = [];
    const run = (i: number): Promise<{ value: number } | undefined> =>
      l.run(async () => {
        started.push(i);
        await new Promise<void>((r) => gates.push(r));
        return i;
      });
    const all = Array.from({ length: 7 }, (_, i) => run(i));
    await expect.poll(() => started.length).toBe(2);
    expect(l.queued).toBe(3);
    // 2 running + 3 queued; the 6th and 7th were refused without running
    expect(await all[5]).toBeUndefined();
    expect(await all[6]).toBeUndefined();
    while (started.length < 5 || gates.length > 0) {
      await expect.poll(() => gates.length).toBeGreaterThan(0);
      gates.shift()!();
    }
    expect((await Promise.all(all.slice(0, 5))).map((r) => r?.value)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });
});
