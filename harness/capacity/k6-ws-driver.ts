import { resolve } from 'node:path';
import { runK6, type K6Result } from '../load/k6-runner.ts';
import { APP, } from '../run/topology-plan.ts';
import { LOAD_SCRIPTS_DIR } from '../run/workload.ts';
import { ConnectionLog } from './connection-log.ts';

export interface ConnectionDriver {
  readonly client: 'k6' | 'node';
  readonly log: ConnectionLog;
  stop(): Promise<void>;
}

const VUS = 10;

/**
 * WebSocket connections for a breakpoint: the project's ws-subscribers k6 script, opening
 * `maxConnections` sockets evenly over maxConnections / rampPerS seconds, each subscribed to one
 * channel, never reconnecting (a refused or dropped socket stays counted as such).
 */
export function startK6WsDriver(opts: { port: number; rampPerS: number; maxConnections: number; maxDurationS: number; signal: AbortSignal }): ConnectionDriver {
  const log = new ConnectionLog();
  const perVu = Math.ceil(opts.maxConnections / VUS);
  const rampS = (perVu * VUS) / opts.rampPerS;
  const run: Promise<K6Result> = runK6({
    script: resolve(LOAD_SCRIPTS_DIR, 'ws-subscribers.ts'),
    env: {
      EDGE_WS: `ws://127.0.0.1:${opts.port}`,
      APP_KEY: APP.key,
      APP_SECRET: APP.secret,
      VUS,
      SOCKETS_PER_VU: perVu,
      MAX_CONNECTIONS: perVu * VUS,
      CHANNELS: 10,
      RAMP_S: rampS.toFixed(2),
      DURATION_S: opts.maxDurationS,
      RECONNECT: 'false',
      MAX_ATTEMPTS_PER_SOCKET: 1,
    },
    maxDurationS: opts.maxDurationS + 15,
    signal: opts.signal,
    onPoint: (p) => {
      switch (p.metric) {
        case 'pusher_connect_attempts':
          log.attempted += p.value;
          break;
        case 'pusher_connect_time':
          log.connects.push({ at: p.time, ms: p.value });
          break;
        case 'pusher_connect_failures':
          log.failures.push({ at: p.time, reason: [p.tags.reason, p.tags.code].filter(Boolean).join(':') });
          break;
        case 'pusher_closes':
          log.closes.push(p.time);
          break;
      }
    },
  });
  return {
    client: 'k6',
    log,
    stop: async () => {
      await run.catch(() => undefined);
    },
  };
}
