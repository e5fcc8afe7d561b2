import { APP } from '../load/app.ts';
import { k6Env, k6ScriptPath } from '../load/k6-env.ts';
import { runK6Segmented, type K6SegmentedResult } from '../load/k6-segments.ts';
import { K6_SOCKETS_PER_PROCESS } from './profile-schema.ts';
import { ConnectionLog } from './connection-log.ts';

export interface ConnectionDriver {
  readonly client: 'k6' | 'node';
  /** Client processes holding the connections (k6 split by execution segments; the harness itself for node). */
  readonly processes: number;
  readonly log: ConnectionLog;
  stop(): Promise<void>;
}

/** VUs per k6 process: each opens its share of the sockets one after another over the ramp. */
const VUS_PER_PROCESS = 10;

/** k6 processes a run of `maxConnections` sockets needs (execution segments split them evenly). */
export const k6ProcessesFor = (maxConnections: number) => Math.max(1, Math.ceil(maxConnections / K6_SOCKETS_PER_PROCESS));

/**
 * WebSocket connections for a breakpoint: the project's ws-subscribers k6 script, opening
 * `maxConnections` sockets evenly over maxConnections / rampPerS seconds, each subscribed to one
 * channel, never reconnecting (a refused or dropped socket stays counted as such). Above
 * K6_SOCKETS_PER_PROCESS sockets the run is split over several k6 processes with execution
 * segments, each under its open-file limit; their points land in the same log. No deadline for
 * connection_established: any client failure is a break here, and k6 itself drops that frame now
 * and then (scenarios/load/README.md); a slow server shows as the connect p99 and the pod's count.
 */
export function startK6WsDriver(opts: { port: number; rampPerS: number; maxConnections: number; maxDurationS: number; signal: AbortSignal }): ConnectionDriver {
  const log = new ConnectionLog();
  const instances = k6ProcessesFor(opts.maxConnections);
  const vus = VUS_PER_PROCESS * instances;
  const perVu = Math.ceil(opts.maxConnections / vus);
  const rampS = (perVu * vus) / opts.rampPerS;
  const run: Promise<K6SegmentedResult> = runK6Segmented({
    instances,
    script: k6ScriptPath('ws-subscribers.ts'),
    env: k6Env(
      'ws-subscribers.ts',
      { port: opts.port, app: APP, vus, durationS: opts.maxDurationS, maxConnections: perVu * vus },
      { SOCKETS_PER_VU: perVu, CHANNELS: 10, RAMP_S: Number(rampS.toFixed(2)), RECONNECT: false, MAX_ATTEMPTS_PER_SOCKET: 1, ESTABLISHED_TIMEOUT_MS: 0 },
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
    processes: instances,
    log,
    stop: async () => {
      await run.catch(() => undefined);
    },
  };
}
