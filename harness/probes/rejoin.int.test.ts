import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MemoryHistory } from '../history/memory-history.ts';
import type { EventOf, HistoryEvent } from '../history/events.ts';
import { startServerProcess, TEST_APP, type ServerProcess } from '../load/testing/server-process.ts';
import { startRedisProcess, type RedisProcess } from '../load/testing/redis-process.ts';
import { sleep } from '../load/timing.ts';
import { prepareMutant } from '../mutation/mutant-build.ts';
import { listMutations, selectMutations } from '../mutation/mutation-patches.ts';
import { startDeliveryProbe } from './delivery-probe.ts';
import type { ProbeContext, StartedProbe } from './probe.ts';

// A delivery probe whose subscribers leave and rejoin their channel at once, on a real pod with
// Redis shared state: the server keeps every rejoined subscriber; mutation 02 (leave() drops the
// local subscriber set after its Redis round trip, with the rejoined client in it) loses them.

const servers: ServerProcess[] = [];
const redises: RedisProcess[] = [];
const probes: StartedProbe[] = [];
let work: string | undefined;
afterEach(async () => {
  await Promise.all(probes.splice(0).map((p) => p.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await Promise.all(redises.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const ofType = <T extends HistoryEvent['type']>(h: MemoryHistory, type: T): EventOf<T>[] => h.list().filter((e): e is EventOf<T> => e.type === type);

async function rejoining(subscribers: number, main?: string): Promise<MemoryHistory> {
  const redis = await startRedisProcess();
  redises.push(redis);
  const s = await startServerProcess({ REDIS_URL: redis.url }, 30_000, main);
  servers.push(s);
  const h = new MemoryHistory();
  const endpoint = { port: s.port, deployment: 'solo', pod: s.pod };
  const ctx: ProbeContext = { history: h, app: TEST_APP, targets: { edge: { port: s.port }, podOf: (d) => (d === 'solo' ? endpoint : undefined) }, maxDurationS: 30 };
  const p = startDeliveryProbe({ kind: 'delivery', id: 'rj', transport: 'ws', deployment: 'solo', ratePerS: 10, subscribers, rejoinEveryS: 0.5 }, ctx);
  probes.push(p);
  await sleep(4000);
  await p.stop();
  probes.length = 0;
  return h;
}

describe('delivery probe with rejoins', () => {
  it('every subscriber rejoins and still receives every message sent, once, in order', async () => {
    const h = await rejoining(2);
    const rejoins = ofType(h, 'probe.rejoined');
    expect(rejoins.length).toBeGreaterThanOrEqual(8);
    expect(rejoins.every((r) => r.ok)).toBe(true);
    const sent = ofType(h, 'probe.sent').map((e) => e.seq);
    expect(sent.length).toBeGreaterThan(15);
    for (const sub of ['sub-1', 'sub-2']) expect(ofType(h, 'probe.received').filter((e) => e.subscriber === sub).map((e) => e.seq)).toEqual(sent);
  });

  it('mutation 02 (the rejoin lands inside leave()\'s Redis round trip) loses what is sent after a rejoin', async () => {
    work = await mkdtemp(join(tmpdir(), 'rejoin-probe-'));
    const [race] = selectMutations(listMutations(), ['02']);
    expect(race?.id).toBe('02-hub-rejoin-race-orphans-subscriber');
    const mutant = await prepareMutant(race!, work);
    // One subscriber: its leave empties the pod's set for the channel (two would keep it non-empty).
    const h = await rejoining(1, join(mutant.dir, 'src/main.ts'));
    const rejoins = ofType(h, 'probe.rejoined');
    expect(rejoins.length).toBeGreaterThanOrEqual(4);
    // The server confirms each rejoin: the client cannot tell; only delivery shows it.
    expect(rejoins.every((r) => r.ok)).toBe(true);
    const sent = ofType(h, 'probe.sent').map((e) => e.seq);
    expect(sent.length).toBeGreaterThan(15);
    const got = new Set(ofType(h, 'probe.received').map((e) => e.seq));
    expect(sent.filter((seq) => !got.has(seq)).length).toBeGreaterThan(5);
  });
});
