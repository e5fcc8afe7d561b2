import { APP } from '../load/app.ts';
import { k6Env, k6ScriptPath } from '../load/k6-env.ts';
import { runK6, type K6Result } from '../load/k6-runner.ts';
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
    script: k6ScriptPath('ws-subscribers.ts'),
    env: k6Env(
      'ws-subscribers.ts',
      { port: opts.port, app: APP, vus: VUS, durationS: opts.maxDurationS, maxConnections: perVu * VUS },
      { SOCKETS_PER_VU: perVu, CHANNELS: 10, RAMP_S: Number(rampS.toFixed(2)), RECONNECT: false, MAX_ATTEMPTS_PER_SOCKET: 1 },
    ),
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
