import { setMaxListeners } from 'node:events';
/**
 * The Node client population (`source: 'client'`): N clients that behave as pusher-js clients do,
 * driven by the scenario's `load.clients`. Bounded: never more clients than `maxConnections`, never
 * longer than `maxDurationS`, only 127.0.0.1; stop() closes every connection.
 */
import type { History } from '../../history/history.ts';
import type { Load } from '../../scenario/schema.ts';
import { assertLoopback, type AppCredentials, type Endpoint } from '../pusher-client/index.ts';
import { sleep } from '../timing.ts';
import { planChurn, type ChurnDeparture } from './churn-plan.ts';
import { planClients, type ClientPlan } from './client-plan.ts';
import { emptyStats, PopulationClient, type PopulationStats } from './population-client.ts';

export type ClientsSpec = NonNullable<Load['clients']>;

export interface ClientPopulationOptions {
  history: History;
  app: AppCredentials;
  /**
   * Where clients connect: the edge (WebSocket and fallback routes on one listener), or one endpoint
   * per edge process, each client's attempts taking them in turn from its own place in the list.
   */
  target: Endpoint | readonly Endpoint[];
  clients: ClientsSpec;
  seed: number;
  /** Starts are spread over this (the scenario's `load.ramp.upS`). */
  rampUpS: number;
  /** The scenario's `load.maxDurationS`: the population closes everything after it. */
  maxDurationS: number;
  /** The scenario's `load.maxConnections`. */
  maxConnections: number;
  /** Channels the load publishes on (`load.publish.channels`); clients pick theirs from these. */
  channelPool?: number;
  idPrefix?: string;
  connectTimeoutMs?: number;
  activityTimeoutMs?: number;
  pongTimeoutMs?: number;
  minRetryMs?: number;
  maxAttemptsPerClient?: number;
}

export interface StartedClientPopulation {
  readonly plan: readonly ClientPlan[];
  /** Who leaves when (load.clients.churn); empty without churn. */
  readonly churn: readonly ChurnDeparture[];
  stats(): PopulationStats;
  /** Resolves when every client has stopped (stop(), deadline, or all gave up). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export class PopulationBoundsError extends Error {
  readonly code = 'POPULATION_BOUNDS';
}

export function startClientPopulation(o: ClientPopulationOptions): StartedClientPopulation {
  const targets: readonly Endpoint[] = Array.isArray(o.target) ? o.target : [o.target as Endpoint];
  if (targets.length === 0) throw new PopulationBoundsError('target: expected at least one endpoint (an edge process)');
  targets.forEach(assertLoopback);
  if (o.clients.count > o.maxConnections) {
    throw new PopulationBoundsError(`load.clients.count ${o.clients.count} is above load.maxConnections ${o.maxConnections}`);
  }
  if (!(o.maxDurationS > 0)) throw new PopulationBoundsError(`maxDurationS must be > 0, got ${o.maxDurationS}`);
  const plan = planClients({
    seed: o.seed,
    count: o.clients.count,
    rampUpMs: o.rampUpS * 1000,
    channelsPerClient: o.clients.channelsPerClient,
    channelKind: o.clients.channelKind,
    channelPool: o.channelPool ?? 1,
    idPrefix: o.idPrefix ?? 'client',
  });
  // Churn runs from the end of the ramp (every client has arrived) to the population's end by default.
  const churn = o.clients.churn
    ? planChurn({
        seed: o.seed,
        count: plan.length,
        sharePerS: o.clients.churn.sharePerS,
        fromMs: (o.clients.churn.fromS ?? o.rampUpS) * 1000,
        toMs: Math.min(o.clients.churn.toS ?? o.maxDurationS, o.maxDurationS) * 1000,
      })
    : [];
  const abort = new AbortController();
  // Every client of the population listens on this one signal: not a leak.
  setMaxListeners(0, abort.signal);
  const stats = emptyStats(plan.length);
  const clients = plan.map(
    (p) =>
      new PopulationClient(p, {
        history: o.history,
        app: o.app,
        targets,
        policy: o.clients.reconnect,
        signal: abort.signal,
        deadline: performance.now() + o.maxDurationS * 1000,
        stats,
        connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
        ...(o.activityTimeoutMs !== undefined ? { activityTimeoutMs: o.activityTimeoutMs } : {}),
        ...(o.pongTimeoutMs !== undefined ? { pongTimeoutMs: o.pongTimeoutMs } : {}),
        minRetryMs: o.minRetryMs ?? 100,
        maxAttempts: o.maxAttemptsPerClient ?? 10_000,
      }),
  );
  const awayMs = o.clients.churn?.awayMs ?? 0;
  const startedAt = performance.now();
  // One loop walks the schedule; a departure due while the client is not connected is skipped.
  const churning = (async () => {
    for (const d of churn) {
      await sleep(startedAt + d.atMs - performance.now(), abort.signal);
      if (abort.signal.aborted) return;
      clients[d.client]!.leave(awayMs);
    }
  })();
  const stop = async (): Promise<void> => {
    abort.abort();
    for (const c of clients) c.close();
    await Promise.all([churning, ...clients.map((c) => c.done)]);
  };
  const hardStop = setTimeout(() => void stop(), o.maxDurationS * 1000);
  hardStop.unref();
  const done = Promise.all(clients.map((c) => c.done)).then(() => clearTimeout(hardStop));
  return {
    plan,
    churn,
    stats: () => ({ ...stats, connected: { ...stats.connected }, failures: { ...stats.failures } }),
    done,
    stop: async () => {
      clearTimeout(hardStop);
      await stop();
    },
  };
}
