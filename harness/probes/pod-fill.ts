/**
 * What the limit checks share: a pod's own reading of its open connections and refusals, and
 * filling a pod with WebSocket connections in batches until a count is reached or it refuses one.
 */
import { fetchPodMetrics, SUT_METRIC_NAMES } from '../topology/pod-metrics.ts';
import { connectRecorded } from '../load/recorded-connect.ts';
import { ConnectError, LOOPBACK_HOST, type Endpoint, type PusherConnection } from '../load/pusher-client/index.ts';
import { reasonKey } from '../history/events.ts';
import type { ProbeContext } from './probe.ts';

export interface PodReading {
  /** WebSocket connections the pod reports open. */
  open: number;
  /** HTTP-fallback requests waiting in the pod's limiter. */
  queued: number;
  refused: Record<string, number>;
}

export async function podReading(ctx: ProbeContext, endpoint: Endpoint): Promise<PodReading | undefined> {
  const source = (endpoint.pod !== undefined ? ctx.targets.metricsOf?.(endpoint.pod) : undefined) ?? {
    url: `http://${LOOPBACK_HOST}:${endpoint.port}/metrics`,
    names: SUT_METRIC_NAMES,
  };
  const m = await fetchPodMetrics(source, 2000);
  return m ? { open: m.connections.ws ?? 0, queued: m.queued, refused: m.refusedByReason } : undefined;
}

/** The pod's refusals between two readings, by reason: only those that grew. */
export function refusedDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [reason, total] of Object.entries(after)) {
    const delta = total - (before[reason] ?? 0);
    if (delta > 0) out[reason] = delta;
  }
  return out;
}

export interface FillOptions {
  probe: string;
  endpoint: Endpoint;
  /** Attempts at the most; the fill stops earlier at the first refusal. */
  attempts: number;
  batch: number;
  signal: AbortSignal;
  /** performance.now() bound. */
  deadline: number;
}

/**
 * Opens WebSocket connections `batch` at a time until `attempts` were made or one was refused;
 * every connection opened is pushed onto `admitted`, and onto `toClose` (closed by the caller, also
 * on abort) as it comes.
 */
export async function fillPod(ctx: ProbeContext, o: FillOptions, admitted: PusherConnection[], toClose: { close(): void }[]): Promise<{ refusal: string | undefined }> {
  let refusal: string | undefined;
  let n = 0;
  while (refusal === undefined && n < o.attempts && !o.signal.aborted && performance.now() < o.deadline) {
    const size = Math.min(o.batch, o.attempts - n);
    const results = await Promise.allSettled(
      Array.from({ length: size }, (_, i) =>
        connectRecorded(ctx.history, { client: `${o.probe}/c-${n + i + 1}`, source: 'probe' }, { endpoint: o.endpoint, app: ctx.app, transport: 'ws', timeoutMs: ctx.connectTimeoutMs ?? 5000 }),
      ),
    );
    n += size;
    for (const r of results) {
      if (r.status === 'fulfilled') {
        admitted.push(r.value);
        toClose.push(r.value);
      }
      else if (refusal === undefined) refusal = r.reason instanceof ConnectError ? reasonKey(r.reason) : 'error';
    }
  }
  return { refusal };
}
