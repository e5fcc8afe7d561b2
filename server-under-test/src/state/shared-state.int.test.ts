import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryState } from './memory-state.ts';
import { RedisState, decodeFanout, encodeFanout } from './redis-state.ts';
import type { FanoutMessage, SharedState } from './shared-state.ts';
import { startRedis, type StartedRedis } from '../testing/redis-server.ts';

let redis: StartedRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

type Factory = () => Promise<[SharedState, SharedState, FanoutMessage[][]]>;
const factories: Record<string, Factory> = {
  memory: async () => {
    const s = new MemoryState();
    const got: FanoutMessage[] = [];
    await s.start((m) => got.push(m));
    return [s, s, [got, got]];
  },
  redis: async () => {
    const app = `app${Math.random().toString(36).slice(2)}`;
    const a = new RedisState(redis.url, app, 'pod-a');
    const b = new RedisState(redis.url, app, 'pod-b');
    const ga: FanoutMessage[] = [];
    const gb: FanoutMessage[] = [];
    await a.start((m) => ga.push(m));
    await b.start((m) => gb.push(m));
    return [a, b, [ga, gb]];
  },
};

for (const [name, make] of Object.entries(factories)) {
  describe(`${name} state (two pods where it can)`, () => {
    it('occupied/vacated are seen exactly once across pods', async () => {
      const [a, b] = await make();
      try {
        expect(await a.subscribe('c1', '1.1')).toEqual({ occupied: true });
        expect(await b.subscribe('c1', '2.2')).toEqual({ occupied: false });
        expect(await a.subscribe('c1', '1.1')).toEqual({ occupied: false });
        expect(await b.subscriptionCount('c1')).toBe(2);
        expect(await a.listChannels('')).toEqual([{ name: 'c1', subscriptionCount: 2 }]);
        expect(await a.unsubscribe('c1', '1.1')).toEqual({ vacated: false });
        expect(await a.unsubscribe('c1', '1.1')).toEqual({ vacated: false });
        expect(await b.unsubscribe('c1', '2.2')).toEqual({ vacated: true });
        expect(await a.listChannels('')).toEqual([]);
      } finally {
        await a.stop();
        if (b !== a) await b.stop();
      }
    });

    it('presence: one member per user, removed when the last socket leaves', async () => {
      const [a, b] = await make();
      try {
        expect(await a.addMember('presence-x', '1.1', { userId: 'u1', userInfo: { n: 1 } })).toEqual({ added: true });
        expect(await b.addMember('presence-x', '2.2', { userId: 'u1', userInfo: { n: 1 } })).toEqual({ added: false });
        expect(await b.addMember('presence-x', '3.3', { userId: 'u2', userInfo: null })).toEqual({ added: true });
        expect((await a.members('presence-x')).sort((x, y) => x.userId.localeCompare(y.userId))).toEqual([
          { userId: 'u1', userInfo: { n: 1 } },
          { userId: 'u2', userInfo: null },
        ]);
        expect(await a.removeMember('presence-x', '1.1')).toEqual({ removedUserId: undefined });
        expect(await b.removeMember('presence-x', '2.2')).toEqual({ removedUserId: 'u1' });
        expect(await b.removeMember('presence-x', '2.2')).toEqual({ removedUserId: undefined });
        expect(await a.members('presence-x')).toEqual([{ userId: 'u2', userInfo: null }]);
      } finally {
        await a.stop();
        if (b !== a) await b.stop();
      }
    });

    it('a published message reaches every pod', async () => {
      const [a, b, [ga, gb]] = await make();
      try {
        const m: FanoutMessage = { channel: 'c', frame: '{"event":"e","channel":"c","data":"x|y"}', exclude: '1.2', t: 5 };
        await a.publish(m);
        // Each pod gets its copy from Redis independently: wait for both, not just one.
        await expect.poll(() => [ga!.length, gb!.length]).toEqual([1, 1]);
        expect(ga![0]).toEqual(m);
        expect(gb![0]).toEqual(m);
      } finally {
        await a.stop();
        if (b !== a) await b.stop();
      }
    });
  });
}

describe('redis pod restart', () => {
  it('a pod restarted under the same name removes what its killed predecessor left', async () => {
    const app = `app${Math.random().toString(36).slice(2)}`;
    const first = new RedisState(redis.url, app, 'pod-z');
    await first.start(() => {});
    await first.subscribe('c', '9.9');
    await first.addMember('presence-c', '9.9', { userId: 'u', userInfo: null });
    await first.stop(); // no unsubscribe: as if OOM-killed
    const again = new RedisState(redis.url, app, 'pod-z');
    await again.start(() => {});
    try {
      expect(await again.subscriptionCount('c')).toBe(0);
      expect(await again.members('presence-c')).toEqual([]);
    } finally {
      await again.stop();
    }
  });
  it('fan-out encoding round-trips', () => {
    const m = { channel: 'a', frame: '{"x":"|"}', t: 1, exclude: undefined };
    expect(decodeFanout(encodeFanout(m))).toEqual(m);
  });
});
