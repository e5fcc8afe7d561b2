import { afterEach, describe, expect, it } from 'vitest';
import { MemoryHistory } from '../../history/memory-history.ts';
import type { EventOf } from '../../history/events.ts';
import { eventually, startServerProcess, TEST_APP, type ServerProcess } from '../testing/server-process.ts';
import { RestClient } from '../pusher-client/index.ts';
import { startClientPopulation, type ClientPopulationOptions, type StartedClientPopulation } from './index.ts';

const servers: ServerProcess[] = [];
const populations: StartedClientPopulation[] = [];
afterEach(async () => {
  await Promise.all(populations.splice(0).map((p) => p.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function pod(env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await startServerProcess(env);
  servers.push(s);
  return s;
}

function population(h: MemoryHistory, s: ServerProcess, over: Partial<ClientPopulationOptions> & { count: number }): StartedClientPopulation {
  const p = startClientPopulation({
    history: h,
    app: TEST_APP,
    target: { port: s.port },
    clients: {
      count: over.count,
      reconnect: { strategy: 'backoff', baseMs: 50, maxMs: 400, jitter: true, fallbackAfterFailures: 2 },
      channelsPerClient: 1,
      channelKind: 'public',
    },
    seed: 7,
    rampUpS: 0.2,
    maxDurationS: 60,
    maxConnections: 100,
    ...over,
  });
  populations.push(p);
  return p;
}

const outcomes = (h: MemoryHistory): EventOf<'connect.outcome'>[] => h.list().filter((e): e is EventOf<'connect.outcome'> => e.type === 'connect.outcome');

describe('client population', () => {
  it('connects over WebSocket and receives what is published on its channels', async () => {
    const s = await pod();
    const h = new MemoryHistory();
    const p = population(h, s, { count: 4, channelPool: 1 });
    expect(await eventually(() => p.stats().connected.ws === 4)).toBe(true);
    const rest = new RestClient({ port: s.port }, TEST_APP);
    try {
      // Subscriptions follow the connect; publish until every client has had one.
      expect(await eventually(() => (void rest.publish(['load-0'], 'tick', '{}').catch(() => undefined), p.stats().messages >= 4), 10_000, 200)).toBe(true);
    } finally {
      rest.close();
    }
    expect(outcomes(h).every((o) => o.ok && o.transport === 'ws' && o.source === 'client')).toBe(true);
    await p.stop();
    const closed = h.list().filter((e) => e.type === 'connect.closed');
    expect(closed).toHaveLength(4);
    expect(closed.every((c) => c.type === 'connect.closed' && !c.abnormal && c.by === 'client')).toBe(true);
  });

  it('churn: planned clients leave cleanly, come back after awayMs, and the pod ends with as many connections', async () => {
    const s = await pod();
    const h = new MemoryHistory();
    const count = 20;
    const p = population(h, s, {
      count,
      clients: {
        count,
        reconnect: { strategy: 'backoff', baseMs: 50, maxMs: 400, jitter: true, fallbackAfterFailures: 2 },
        channelsPerClient: 1,
        channelKind: 'public',
        churn: { sharePerS: 0.2, fromS: 1, toS: 4, awayMs: 300 },
      },
    });
    // 20% of 20 clients a second over 3 s: 12 departures planned.
    expect(p.churn).toHaveLength(12);
    expect(await eventually(() => p.stats().connected.ws === count)).toBe(true);
    // After the last departure and its time away, everyone is back.
    await new Promise((r) => setTimeout(r, 4_500));
    expect(await eventually(() => p.stats().connected.ws === count, 10_000)).toBe(true);
    // A client picked again while still away is skipped (it is not connected): at most a few.
    const n = p.stats().churned;
    expect(n).toBeGreaterThanOrEqual(10);
    expect(n).toBeLessThanOrEqual(12);
    const churned = h.list().filter((e): e is EventOf<'client.churned'> => e.type === 'client.churned');
    expect(churned).toHaveLength(n);
    expect(churned.every((c) => c.awayMs === 300 && c.source === 'client')).toBe(true);
    const closed = h.list().filter((e): e is EventOf<'connect.closed'> => e.type === 'connect.closed');
    // Every churned close is by the client and not abnormal: nothing a drop SLO counts.
    expect(closed).toHaveLength(n);
    expect(closed.every((c) => !c.abnormal && c.by === 'client')).toBe(true);
    expect(new Set(closed.map((c) => c.client))).toEqual(new Set(churned.map((c) => c.client)));
    // Each churned client connected again: one more successful outcome per departure.
    expect(outcomes(h).filter((o) => o.ok)).toHaveLength(count + n);
    expect(p.stats().drops).toBe(0);
  });

  it('falls back to xhr_streaming when the pod has no WebSocket role', async () => {
    const s = await pod({ ROLES: 'fallback,rest' });
    const h = new MemoryHistory();
    const p = population(h, s, { count: 3 });
    expect(await eventually(() => p.stats().connected.xhr_streaming === 3)).toBe(true);
    for (const id of ['client-1', 'client-2', 'client-3']) {
      const mine = outcomes(h).filter((o) => o.client === id);
      // Exactly fallbackAfterFailures WebSocket failures (404: the pod serves no WebSocket route), then the stream.
      expect(mine.map((o) => [o.transport, o.ok, o.reason, o.code])).toEqual([
        ['ws', false, 'http', 404],
        ['ws', false, 'http', 404],
        ['xhr_streaming', true, undefined, undefined],
      ]);
    }
    expect(p.stats().fellBack).toBe(3);
  });

  it('clients over the pod cap (MAX_CONNECTIONS, dropped: 1006) fall back; the rest stay on WebSocket', async () => {
    const s = await pod({ MAX_CONNECTIONS: '2' });
    const h = new MemoryHistory();
    const p = population(h, s, { count: 5 });
    expect(await eventually(() => p.stats().connected.ws === 2 && p.stats().connected.xhr_streaming === 3)).toBe(true);
    expect(p.stats().failures['close:1006']).toBe(6);
  });

  it('4001 (unknown app) is final: each client tries once and gives up', async () => {
    const s = await pod();
    const h = new MemoryHistory();
    const p = population(h, s, { count: 3, app: { ...TEST_APP, key: 'unknown-key' } });
    await p.done;
    expect(outcomes(h).map((o) => [o.ok, o.code])).toEqual([
      [false, 4001],
      [false, 4001],
      [false, 4001],
    ]);
    expect(p.stats().gaveUp).toBe(3);
  });

  it('a graceful pod stop is a server close (4200, abnormal) and the clients keep retrying', async () => {
    const s = await pod();
    const h = new MemoryHistory();
    const p = population(h, s, { count: 3 });
    expect(await eventually(() => p.stats().connected.ws === 3)).toBe(true);
    await s.stop();
    expect(await eventually(() => p.stats().drops === 3)).toBe(true);
    const closed = h.list().filter((e): e is EventOf<'connect.closed'> => e.type === 'connect.closed');
    expect(closed.map((c) => [c.code, c.abnormal, c.by])).toEqual([
      [4200, true, 'server'],
      [4200, true, 'server'],
      [4200, true, 'server'],
    ]);
    // Nothing listens any more: the retries are refused, and the clients do not give up on that.
    expect(await eventually(() => outcomes(h).filter((o) => o.reason === 'refused').length >= 6)).toBe(true);
    expect(p.stats().gaveUp).toBe(0);
  });

  it('refuses targets other than 127.0.0.1 and counts above maxConnections', () => {
    const h = new MemoryHistory();
    const base = { history: h, app: TEST_APP, seed: 1, rampUpS: 0, maxDurationS: 5, clients: { count: 2, reconnect: { strategy: 'immediate' as const, baseMs: 1, maxMs: 1, jitter: false, fallbackAfterFailures: 1 }, channelsPerClient: 1, channelKind: 'public' as const } };
    expect(() => startClientPopulation({ ...base, target: { host: '10.0.0.1', port: 80 }, maxConnections: 10 })).toThrow(/only 127\.0\.0\.1/);
    expect(() => startClientPopulation({ ...base, target: { port: 80 }, maxConnections: 1 })).toThrow(/above load.maxConnections/);
  });
});
