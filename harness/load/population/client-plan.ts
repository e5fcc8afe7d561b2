/**
 * The client schedule, a pure function of the seed: when each client starts (spread over the ramp)
 * and which channels it joins. Same seed, same plan; the run's clock only decides when it unfolds.
 */
import { channelPrefix, type ChannelKind } from '../pusher-client/index.ts';
import { mixSeed, seededRandom } from './seeded-random.ts';

export interface ClientPlan {
  id: string;
  index: number;
  /** Milliseconds after the population starts. */
  startAtMs: number;
  channels: string[];
  /** The presence user id (presence channels only need it). */
  userId: string;
  /** Seed of the client's own random stream (back-off jitter). */
  seed: number;
}

export interface PlanOptions {
  seed: number;
  count: number;
  rampUpMs: number;
  channelsPerClient: number;
  channelKind: ChannelKind;
  /** Channels the load publishes on: `load-0` .. `load-{pool-1}` with the kind's prefix. */
  channelPool: number;
  idPrefix: string;
}

export function loadChannel(kind: ChannelKind, k: number): string {
  return `${channelPrefix(kind)}load-${k}`;
}

export function planClients(o: PlanOptions): ClientPlan[] {
  const pool = Math.max(1, o.channelPool);
  const take = Math.min(pool, o.channelsPerClient);
  return Array.from({ length: o.count }, (_, i) => {
    const seed = mixSeed(o.seed, 'client', i);
    const random = seededRandom(seed);
    // Evenly spread over the ramp, each at a random point of its own slot.
    const startAtMs = o.count === 0 ? 0 : Math.floor(((i + random()) * o.rampUpMs) / o.count);
    // A partial Fisher-Yates shuffle picks `take` distinct channels.
    const ks = Array.from({ length: pool }, (_, k) => k);
    for (let j = 0; j < take; j++) {
      const r = j + Math.floor(random() * (pool - j));
      [ks[j], ks[r]] = [ks[r]!, ks[j]!];
    }
    return {
      id: `${o.idPrefix}-${i + 1}`,
      index: i,
      startAtMs,
      channels: ks.slice(0, take).map((k) => loadChannel(o.channelKind, k)),
      userId: `${o.idPrefix}-user-${i + 1}`,
      seed,
    };
  });
}
