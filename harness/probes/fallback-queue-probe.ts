/**
 * Fallback-queue probe: checks one HTTP-fallback pod's request limiter at its boundary. At `atS` it
 * sends maxConcurrent + queueLimit + extra session-opening polls (`xhr`), each on its own
 * connection, one after another, within one service period: the pod serves maxConcurrent, queues
 * queueLimit and must refuse the rest. It records when each was sent and answered, reads the pod's
 * own gauge of waiting requests right after the first refusal, continues a sample of the admitted
 * sessions as polling clients that must receive a message, and records one `queue.checked` event.
 * Bounded: a fixed number of requests, each with a deadline, never past the probe's time bound.
 */
import { connectRecorded } from '../load/recorded-connect.ts';
import { CLIENT_QUERY, newSessionPath, type FallbackSessionPath, type PusherConnection } from '../load/pusher-client/index.ts';
import type { EventOf } from '../history/events.ts';
import type { Probe } from '../scenario/schema.ts';
import { ProbeTargetError, type ProbeContext, type StartedProbe } from './probe.ts';
import { RawHttpConnection } from './raw-http-connection.ts';
import { podReading, refusedDelta } from './pod-fill.ts';
import { firstMiddleLast, receiveCheck } from './receive-check.ts';
import { startTimedCheck } from './timed-check.ts';

export type FallbackQueueProbeSpec = Extract<Probe, { kind: 'fallback-queue' }>;
type QueueRequest = EventOf<'queue.checked'>['requests'][number];

/** A queued request waits at most (queueLimit / maxConcurrent + 1) service periods; this is added for a slow pod. */
const ANSWER_GRACE_MS = 3000;

export function startFallbackQueueProbe(spec: FallbackQueueProbeSpec, ctx: ProbeContext): StartedProbe {
  const { history } = ctx;
  return startTimedCheck(spec, ctx, 'fallback queue check', async ({ signal, deadline, open }) => {
    const endpoint = ctx.targets.sparePodOf?.(spec.deployment);
    if (!endpoint || endpoint.pod === undefined) {
      throw new ProbeTargetError(`fallback-queue probe ${spec.id}: deployment ${spec.deployment} has no second pod (one no pinned probe uses) to fill`);
    }
    const before = await podReading(ctx, endpoint);
    // No reading, no finding: the SLO is unknown without the event, never a guess.
    if (!before) return;

    const total = spec.maxConcurrent + spec.queueLimit + spec.extra;
    const waitMs = Math.ceil((spec.queueLimit / spec.maxConcurrent + 2) * spec.costMs) + ANSWER_GRACE_MS;
    const sessions: FallbackSessionPath[] = [];
    const requests: QueueRequest[] = [];
    let firstAdmittedAt: number | undefined;
    let gaugeRead: Promise<number | undefined> | undefined;
    const t0 = performance.now();
    const answers: Promise<void>[] = [];
    for (let i = 0; i < total && performance.now() < deadline; i++) {
      const path = newSessionPath();
      const conn = new RawHttpConnection(endpoint, { keepAlive: false, timeoutMs: waitMs });
      open.push(conn);
      sessions.push(path);
      const req: QueueRequest = { sentMs: performance.now() - t0, opened: false };
      requests.push(req);
      answers.push(
        conn
          .request({ method: 'POST', pathAndQuery: `/pusher/app/${encodeURIComponent(ctx.app.key)}/${path.server}/${path.session}/xhr?${CLIENT_QUERY}&n=${i}`, body: '' })
          .then((res) => {
            req.answeredMs = performance.now() - t0;
            req.status = res.status;
            req.opened = res.status === 200 && res.body.toString('utf8').startsWith('o');
            if (res.status === 200) firstAdmittedAt ??= req.answeredMs;
            // The pod's own count right after it refused, kept only if nothing had left its limiter yet.
            else gaugeRead ??= podReading(ctx, endpoint).then((r) => (r && firstAdmittedAt === undefined ? r.queued : undefined));
          })
          .catch(() => undefined)
          .finally(() => conn.close()),
      );
    }
    await Promise.all(answers);
    const queuedAtRefusal = await gaugeRead;
    const after = await podReading(ctx, endpoint);

    const admitted = sessions.filter((_, i) => requests[i]?.status === 200 && requests[i]?.opened);
    const resumed: PusherConnection[] = [];
    for (const session of firstMiddleLast(admitted)) {
      if (signal.aborted) break;
      const client = `${spec.id}/${session.server}-${session.session}`;
      try {
        const conn = await connectRecorded(history, { client, source: 'probe' }, { endpoint, app: ctx.app, transport: 'xhr_polling', session, timeoutMs: ctx.connectTimeoutMs ?? 5000 });
        resumed.push(conn);
        open.push(conn);
      } catch {
        // recorded as a failed connect; counted below as checked and not working
      }
    }
    const checked = firstMiddleLast(admitted).length;
    const working = await receiveCheck(spec.id, ctx, resumed);
    history.record({
      type: 'queue.checked',
      probe: spec.id,
      deployment: spec.deployment,
      pod: endpoint.pod,
      transport: 'xhr_polling',
      maxConcurrent: spec.maxConcurrent,
      queueLimit: spec.queueLimit,
      costMs: spec.costMs,
      requests,
      ...(queuedAtRefusal !== undefined ? { queuedAtRefusal } : {}),
      refusedByServer: refusedDelta(before.refused, after?.refused ?? {}),
      checked,
      working: working.ok,
    });
  });
}
