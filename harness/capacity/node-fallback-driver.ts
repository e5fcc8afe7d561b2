import { setMaxListeners } from 'node:events';
import { connect, ConnectError, type PusherConnection } from '../load/pusher-client/index.ts';
import { runTicker } from '../load/timing.ts';
import { APP } from '../load/app.ts';
import { ConnectionLog } from './connection-log.ts';
import type { ConnectionDriver } from './k6-ws-driver.ts';

/**
 * Fallback sessions for a breakpoint: our Node pusher client over xhr_streaming, the transport
 * pusher-js falls back to first (k6 cannot hold an HTTP stream open). One new session every
 * 1/rampPerS s up to maxConnections, each subscribed to one channel, never reopened.
 */
export function startNodeFallbackDriver(opts: { port: number; rampPerS: number; maxConnections: number; maxDurationS: number; signal: AbortSignal }): ConnectionDriver {
  const log = new ConnectionLog();
  const open = new Set<PusherConnection>();
  const pending = new Set<Promise<void>>();
  setMaxListeners(0, opts.signal);

  const one = async (n: number): Promise<void> => {
    const started = performance.now();
    log.attempted++;
    try {
      const conn = await connect({ endpoint: { port: opts.port }, app: APP, transport: 'xhr_streaming', timeoutMs: 10_000 });
      log.connects.push({ at: Date.now(), ms: performance.now() - started });
      if (opts.signal.aborted) return conn.close();
      open.add(conn);
      void conn.closed.then(() => {
        open.delete(conn);
        if (!opts.signal.aborted) log.closes.push(Date.now());
      });
      await conn.subscribe(`load-${n % 10}`).catch(() => undefined);
    } catch (err) {
      const e = err as ConnectError;
      log.failures.push({ at: Date.now(), reason: e instanceof ConnectError ? [e.reason, e.code].filter((x) => x !== undefined).join(':') : 'error' });
    }
  };

  const ticker = runTicker({
    ratePerS: opts.rampPerS,
    maxDurationMs: (opts.maxConnections / opts.rampPerS) * 1000,
    signal: opts.signal,
    onTick: (n) => {
      if (n > opts.maxConnections) return;
      const p = one(n);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
  });
  return {
    client: 'node',
    processes: 1,
    log,
    stop: async () => {
      await ticker;
      await Promise.allSettled([...pending]);
      for (const c of open) c.close();
      open.clear();
    },
  };
}
