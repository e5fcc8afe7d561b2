/** The Redis Stream queue: order, ack, retry of un-acked entries, and claiming a dead dispatcher's entries. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type StartedRedis } from '../testing/redis-server.ts';
import { MemoryQueue, RedisStreamQueue } from './webhook-queue.ts';

let redis: StartedRedis;
const conns: Redis[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const c of conns) c.disconnect();
  await redis?.stop();
});
const conn = (): Redis => {
  const c = new Redis(redis.url);
  conns.push(c);
  return c;
};

describe('RedisStreamQueue', () => {
  it('delivers in order; acked entries are gone; un-acked ones come back to the same consumer', async () => {
    const stream = `s-${Math.random()}`;
    const q = new RedisStreamQueue(conn(), conn(), stream, 'd1');
    for (const b of ['a', 'b', 'c']) await q.append(b);
    const first = await q.read(2, 100);
    expect(first.map((e) => e.body)).toEqual(['a', 'b']);
    await q.ack([first[0]!.id]);
    q.retryPending(); // the POST of "b" failed
    expect((await q.read(10, 100)).map((e) => e.body)).toEqual(['b']);
    await q.ack([first[1]!.id]);
    expect((await q.read(10, 100)).map((e) => e.body)).toEqual(['c']); // own pending list empty: new entries
  });

  it('entries a dead dispatcher read but never acked are claimed by another one', async () => {
    const stream = `s-${Math.random()}`;
    const dead = new RedisStreamQueue(conn(), conn(), stream, 'dead', 50);
    await dead.append('x');
    await dead.append('y');
    expect((await dead.read(10, 100)).map((e) => e.body)).toEqual(['x', 'y']); // then it dies
    const alive = new RedisStreamQueue(conn(), conn(), stream, 'alive', 50);
    await expect.poll(async () => (await alive.read(10, 20)).map((e) => e.body), { timeout: 5_000 }).toEqual(['x', 'y']);
  });
});

describe('MemoryQueue', () => {
  it('hands out entries once until released or acked', async () => {
    const q = new MemoryQueue(3);
    for (const b of ['1', '2', '3', '4']) await q.append(b); // capacity 3: "1" is dropped
    const got = await q.read(10, 10);
    expect(got.map((e) => e.body)).toEqual(['2', '3', '4']);
    expect(await q.read(10, 10)).toEqual([]);
    q.release([got[0]!.id]);
    expect((await q.read(10, 10)).map((e) => e.body)).toEqual(['2']);
    await q.ack(got.map((e) => e.id));
    expect(q.length).toBe(0);
  });
});
