/**
 * The one place a client connection meets the history: every attempt, its outcome and its close
 * are recorded with the transport and, when the endpoint names them, the deployment and pod.
 */
import type { History } from '../history/history.ts';
import { connect, ConnectError, type ConnectOptions, type PusherConnection } from './pusher-client/index.ts';

export interface ConnectLabels {
  client: string;
  source: 'client' | 'probe';
}

export async function connectRecorded(history: History, labels: ConnectLabels, opts: ConnectOptions): Promise<PusherConnection> {
  const where: { deployment?: string; pod?: string } = {};
  if (opts.endpoint.deployment !== undefined) where.deployment = opts.endpoint.deployment;
  if (opts.endpoint.pod !== undefined) where.pod = opts.endpoint.pod;
  const base = { client: labels.client, transport: opts.transport, source: labels.source, ...where };
  history.record({ type: 'connect.attempt', ...base });
  const started = performance.now();
  let conn: PusherConnection;
  try {
    conn = await connect(opts);
  } catch (err) {
    const e = err instanceof ConnectError ? err : new ConnectError('error', undefined, (err as Error).message);
    const failed: { reason: typeof e.reason; code?: number } = { reason: e.reason };
    if (e.code !== undefined) failed.code = e.code;
    history.record({ type: 'connect.outcome', ...base, ok: false, ...failed, latencyMs: performance.now() - started });
    throw e;
  }
  history.record({ type: 'connect.outcome', ...base, ok: true, latencyMs: performance.now() - started });
  void conn.closed
    .then((info) => history.record({ type: 'connect.closed', ...base, code: info.code, abnormal: info.by !== 'client', by: info.by }))
    // A close that lands after the run closed its history has nowhere to go.
    .catch(() => undefined);
  return conn;
}

/** A pinned client whose deployment has no pod to connect to: a failed attempt all the same. */
export function recordNoTarget(history: History, labels: ConnectLabels, transport: ConnectOptions['transport'], deployment: string): void {
  const base = { client: labels.client, transport, source: labels.source, deployment };
  history.record({ type: 'connect.attempt', ...base });
  history.record({ type: 'connect.outcome', ...base, ok: false, reason: 'error' });
}
