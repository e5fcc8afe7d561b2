import { z } from 'zod';
import { transportSchema, WEBHOOK_EVENTS } from '../scenario/vocabulary.ts';
import { evidenceEventSchemas } from './evidence-events.ts';

// The history's event union: everything the runtime observes, timestamped. It is the only link between
// running and judging (Jepsen): checkers and reports read nothing else. `t` is milliseconds since the
// run started (run.meta is t = 0). Schemas are loose objects so an older reader can still judge a
// history written by a newer runtime that added fields.

const t = z.number().nonnegative();
const where = {
  deployment: z.string().optional(),
  pod: z.string().optional(),
};
/** Who produced the connection: k6 load, the Node client population or a synthetic probe. */
const source = z.enum(['k6', 'client', 'probe']);

/**
 * Why a connection attempt failed: `close` (WebSocket close code in `code`: 1006, 4xxx), `http` (HTTP
 * status in `code`: 502, 503), `refused` (TCP), `timeout`, `error` (anything else).
 */
export const failureReasonSchema = z.enum(['close', 'http', 'refused', 'timeout', 'error']);
export type FailureReason = z.infer<typeof failureReasonSchema>;

export const POD_STATES = ['starting', 'running', 'paused', 'exited', 'oomKilled', 'absent'] as const;

const schemas = [
  z.object({
    type: z.literal('run.meta'),
    t,
    runId: z.string(),
    scenarioId: z.string(),
    variant: z.string(),
    seed: z.number(),
    startedAt: z.string(),
    harnessVersion: z.string().optional(),
    /** The server profile the pods ran (harness/servers/); absent: our own server. */
    server: z.string().optional(),
  }),
  /**
   * Written last, after the final pod evidence: the proof that the history covers the whole replay.
   * A history without it (killed run, full disk, a `head` of the file) is judged `unknown`.
   */
  z.object({ type: z.literal('run.ended'), t, plannedDurationS: z.number().nonnegative() }),
  z.object({ type: z.literal('run.phase'), t, phase: z.enum(['setup', 'steady', 'timeline', 'recover', 'teardown', 'done']), note: z.string().optional() }),
  z.object({ type: z.literal('action.started'), t, index: z.int(), action: z.string(), target: z.string(), at: z.number() }),
  z.object({ type: z.literal('action.applied'), t, index: z.int(), action: z.string(), target: z.string(), evidence: z.record(z.string(), z.unknown()) }),
  z.object({
    type: z.literal('action.failed'),
    t,
    index: z.int(),
    action: z.string(),
    target: z.string(),
    error: z.string(),
    evidence: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ type: z.literal('connect.attempt'), t, client: z.string(), transport: transportSchema, source, ...where }),
  z.object({
    type: z.literal('connect.outcome'),
    t,
    client: z.string(),
    transport: transportSchema,
    source,
    ...where,
    ok: z.boolean(),
    reason: failureReasonSchema.optional(),
    /** WebSocket close code or HTTP status, with `reason`. */
    code: z.int().optional(),
    latencyMs: z.number().nonnegative().optional(),
  }),
  z.object({
    type: z.literal('connect.closed'),
    t,
    client: z.string(),
    transport: transportSchema,
    source,
    ...where,
    code: z.int().optional(),
    /** Not asked for by the client: a drop, the thing SLOs count. */
    abnormal: z.boolean(),
    by: z.enum(['client', 'server', 'network']).optional(),
  }),
  /**
   * A client of the population left on purpose (churn: a user closing the tab) and will come back
   * `awayMs` later as a new session. Its connect.closed is by the client, never a drop.
   */
  z.object({ type: z.literal('client.churned'), t, client: z.string(), transport: transportSchema, source, ...where, awayMs: z.int().nonnegative() }),
  z.object({
    type: z.literal('pod.sample'),
    t,
    deployment: z.string(),
    pod: z.string(),
    state: z.enum(POD_STATES),
    ready: z.boolean(),
    restarts: z.int().nonnegative(),
    /**
     * Docker's flag that the container's last exit was an OOM kill. It stays set after a restart
     * policy brings the pod back, so a kill and restart inside one sampler interval (state
     * `running` before and after) is still seen. Absent in histories from before it was sampled.
     */
    oomKilled: z.boolean().optional(),
    memoryMb: z.number().nonnegative().optional(),
    /**
     * The pod's live heap after a forced full collection (server LIVE_HEAP_SAMPLE_MS), only when the
     * pod took a new sample since the last read: a value is never repeated from an earlier sample.
     */
    heapLiveMb: z.number().nonnegative().optional(),
    /** Connections open on this pod, per transport. */
    connections: z.partialRecord(transportSchema, z.int().nonnegative()).default({}),
  }),
  /** One k6 sample. Histories before k6.aggregate recorded every sample so; they still judge alike. */
  z.object({ type: z.literal('k6.point'), t, metric: z.string(), value: z.number(), tags: z.record(z.string(), z.string()).default({}) }),
  /**
   * The k6 samples that arrived in one second of history time, per metric and tag set, written once
   * the second has closed. Its size grows with seconds x series, not with connections: at 10,000
   * sockets one event per sample would be most of the history.
   */
  z.object({
    type: z.literal('k6.aggregate'),
    t,
    /** The samples arrived in [second, second + 1) s of history time. */
    second: z.int().nonnegative(),
    /** History time of the first and the last sample aggregated (the k6 stream was heard from then). */
    firstMs: t,
    lastMs: t,
    /**
     * The k6 processes heard from in this second (scenario/k6-runs.ts names them), each with its first and
     * last sample: a process that stops early is seen even while the others go on. Histories before
     * it judge on the stream as a whole.
     */
    processes: z.array(z.object({ name: z.string(), firstMs: t, lastMs: t })).optional(),
    series: z
      .array(
        z.object({
          metric: z.string(),
          tags: z.record(z.string(), z.string()).default({}),
          count: z.int().positive(),
          sum: z.number(),
          min: z.number(),
          max: z.number(),
          /** Trends only: the values' HDR histogram (metrics/histogram.ts layout), compressed base64. */
          hdr: z.string().optional(),
        }),
      )
      .min(1),
  }),
  z.object({ type: z.literal('probe.sent'), t, probe: z.string(), transport: transportSchema, ...where, seq: z.int().nonnegative() }),
  z.object({
    type: z.literal('probe.received'),
    t,
    probe: z.string(),
    transport: transportSchema,
    ...where,
    seq: z.int().nonnegative(),
    latencyMs: z.number().nonnegative(),
    /** Which subscriber of the probe channel received it; one delivery stream per subscriber. */
    subscriber: z.string().optional(),
  }),
  /** A delivery probe's subscriber left its channel and joined it again at once; `ok`: the server confirmed the new subscription. */
  z.object({ type: z.literal('probe.rejoined'), t, probe: z.string(), transport: transportSchema, ...where, subscriber: z.string(), ok: z.boolean() }),
  z.object({
    type: z.literal('rest.request'),
    t,
    probe: z.string(),
    id: z.string(),
    ...where,
    kind: z.string(),
    /** A request the server should accept (not deliberately oversized). */
    valid: z.boolean(),
    connection: z.string().optional(),
  }),
  z.object({
    type: z.literal('rest.response'),
    t,
    probe: z.string(),
    id: z.string(),
    ...where,
    status: z.int(),
    /** Fingerprint the response should carry (derived from the request)... */
    expected: z.string(),
    /** ...and the one it carried. Different = the response belongs to another request. */
    got: z.string(),
    latencyMs: z.number().nonnegative().optional(),
  }),
  z.object({
    type: z.literal('webhook.expected'),
    t,
    key: z.string(),
    transport: transportSchema,
    event: z.enum(WEBHOOK_EVENTS),
    channel: z.string(),
    ...where,
    /** The webhook probe whose activity caused it. */
    probe: z.string().optional(),
    /**
     * `false`: the activity may have caused this webhook (an event the probe does not watch, or one
     * cut short), so its arrival is explained but its absence is not missing. Absent = owed.
     */
    owed: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('webhook.received'),
    t,
    key: z.string(),
    event: z.string(),
    channel: z.string(),
    signatureValid: z.boolean(),
    /** What the receiver answered; a repeat of a webhook answered 2xx is a duplicate. Absent = 200. */
    status: z.int().optional(),
  }),
  /** A cap probe's finding: where one pod began refusing connections, and whether what it admitted works. */
  z.object({
    type: z.literal('limit.checked'),
    t,
    probe: z.string(),
    deployment: z.string(),
    pod: z.string().optional(),
    transport: transportSchema,
    /** The configured cap the probe was checking. */
    limit: z.int().positive(),
    /** Connections the pod reported open (its own gauge) before the probe's first attempt. */
    openBefore: z.int().nonnegative(),
    /** The probe's connections the pod admitted before it refused one. */
    admitted: z.int().nonnegative(),
    /** Connections the pod reported open right after its first refusal, before the probe closed any. */
    openAfter: z.int().nonnegative().optional(),
    /** The reason key of the first refusal (`close:1006`, `http:503`, ...); absent when none was refused. */
    refusal: z.string().optional(),
    /** The pod's own refusal counter over the check, by reason (sut_connections_refused_total). */
    refusedByServer: z.record(z.string(), z.number()).default({}),
    /** Admitted connections that were asked to receive a message, and those that did. */
    checked: z.int().nonnegative(),
    working: z.int().nonnegative(),
  }),
  /**
   * A fallback-queue probe's finding: the requests it sent to fill one pod's limiter, in the order
   * sent, with what each was answered and when, and whether sessions the pod admitted still receive.
   */
  z.object({
    type: z.literal('queue.checked'),
    t,
    probe: z.string(),
    deployment: z.string(),
    pod: z.string().optional(),
    transport: transportSchema,
    /** The configured limits the probe was checking (FALLBACK_MAX_CONCURRENT, _QUEUE_LIMIT, _REQUEST_COST_MS). */
    maxConcurrent: z.int().positive(),
    queueLimit: z.int().nonnegative(),
    costMs: z.int().positive(),
    /**
     * Each request in the order sent: ms after the first was sent when it was sent and answered, the
     * HTTP status, and whether a 200 carried the session's open frame. No answer: no status.
     */
    requests: z.array(
      z.object({ sentMs: z.number().nonnegative(), answeredMs: z.number().nonnegative().optional(), status: z.int().optional(), opened: z.boolean().default(false) }),
    ),
    /**
     * The pod's own count of waiting requests (sut_fallback_queued_requests), read right after the
     * first refusal; absent unless the reading came back before any admitted request was answered.
     */
    queuedAtRefusal: z.int().nonnegative().optional(),
    /** The pod's own refusal counter over the check, by reason (sut_connections_refused_total). */
    refusedByServer: z.record(z.string(), z.number()).default({}),
    /** Admitted sessions that were continued and asked to receive a message, and those that did. */
    checked: z.int().nonnegative(),
    working: z.int().nonnegative(),
  }),
  /** A memory-headroom probe's fill: one pod held the connections its memory was sized for, from `heldFromMs` to `heldToMs`. */
  z.object({
    type: z.literal('memory.checked'),
    t,
    probe: z.string(),
    deployment: z.string(),
    pod: z.string().optional(),
    transport: transportSchema,
    /** The connections the pod's memory limit was sized for, the limit, and the model's fit. */
    sizedFor: z.int().positive(),
    memoryMb: z.number().positive(),
    baseMb: z.number().nonnegative(),
    perConnectionMb: z.number().positive(),
    /** WebSocket connections the pod reported open before the fill, and the probe's it admitted. */
    openBefore: z.int().nonnegative(),
    admitted: z.int().nonnegative(),
    /** The reason key of a refusal before the planned count; absent when none was refused. */
    refusal: z.string().optional(),
    /** The pod's own count at the end of the hold. */
    openAtEnd: z.int().nonnegative().optional(),
    heldFromMs: z.number().nonnegative(),
    heldToMs: z.number().nonnegative(),
  }),
  ...evidenceEventSchemas,
  /** Text for people reading the run; never evidence (that has a typed event above). */
  z.object({ type: z.literal('log.line'), t, source: z.string(), stream: z.enum(['stdout', 'stderr']), line: z.string(), tag: z.string().optional() }),
] as const;

export const historyEventSchema = z.discriminatedUnion('type', [...schemas]);
export type HistoryEvent = z.output<typeof historyEventSchema>;
/** What the runtime passes to `append`: defaults (e.g. empty tags) may be omitted. */
export type HistoryEventInput = z.input<typeof historyEventSchema>;
export type EventOf<T extends HistoryEvent['type']> = Extract<HistoryEvent, { type: T }>;

/** `close:1006`, `http:502`, `refused`: the label failures are grouped by. */
export function reasonKey(e: { reason?: FailureReason | undefined; code?: number | undefined }): string {
  const reason = e.reason ?? 'error';
  return (reason === 'close' || reason === 'http') && e.code !== undefined ? `${reason}:${e.code}` : reason;
}
