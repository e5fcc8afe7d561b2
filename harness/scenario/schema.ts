import { z } from 'zod';
import { timelineActionSchema } from './actions.ts';
import { axisSchema } from './axes/registry.ts';
import { kindError } from './kind-error.ts';
import { comparatorSchema, eventMatcherSchema, labelsSchema } from './conditions.ts';
import { K6_SCRIPT_NAMES } from './k6-scripts.ts';
import { idSchema, ROLES, transportSchema, WEBHOOK_EVENTS } from './vocabulary.ts';

// The scenario schema: what a scenario file may say. Data first (a k6 options object): nothing here
// runs anything. `ScenarioBody` is what a variant resolves to; `ScenarioInput` is what an author writes.

// The type message names the constraint too, so `memoryMb: "256"` reads "expected a positive number".
const numberSaying = (what: string) =>
  z.number({ error: (iss) => (iss.input === undefined ? `required, expected ${what}` : `expected ${what}`) });
const positive = numberSaying('a positive number').positive();
const seconds = numberSaying('a number of seconds >= 0').nonnegative();

export const livenessProbeSchema = z.strictObject({
  periodS: positive,
  failureThreshold: z.int().positive(),
});

const unreadTiming = z
  .never({ error: 'nothing reads deployments[].readiness timing: a pod is ready when the edge health checks pass; remove readiness and tune topology.edge.healthCheck instead (readiness takes only mode: shallow | deep)' })
  .optional();

export const deploymentSchema = z.strictObject({
  name: idSchema,
  roles: z.array(z.enum(ROLES)).min(1),
  replicas: z.int().min(0),
  appVersion: z.string().min(1),
  /** The app's config file content; the server may refuse keys it does not know (strict parsing). */
  config: z.record(z.string(), z.unknown()).default({}),
  configVersion: z.string().min(1).default('1'),
  env: z.record(z.string(), z.string()).default({}),
  memoryMb: positive,
  cpus: positive.default(0.5),
  /** Per-pod connection cap; over it the pod refuses new connections. Absent = unlimited. */
  maxConnections: z.int().positive().optional(),
  restartPolicy: z.enum(['no', 'on-failure', 'always']).default('no'),
  /** Absent = no liveness probe: a wedged pod is never restarted (the 2021-12 deployment). */
  livenessProbe: livenessProbeSchema.optional(),
  /** The server's readiness mode; the timing of health checks is the edge's (topology.edge.healthCheck). */
  readiness: z
    .strictObject({
      /** What the pod's /readyz checks (server READINESS_MODE): shallow = connections open, deep = a fan-out round trip. */
      mode: z.enum(['shallow', 'deep']),
      // How often and how many failures take a pod out is the edge's health check, not the pod's.
      periodS: unreadTiming,
      failureThreshold: unreadTiming,
    })
    .optional(),
});

/** Edge processes per variant at the most: each is a container with its own health checks on every pod. */
export const MAX_EDGE_PROCESSES = 8;

export const edgeSchema = z.strictObject({
  /** `true`: http-keep-alive towards clients and servers; `false`: close after each response. */
  keepAlive: z.boolean().default(true),
  /** Weight per deployment: where new connections go (the weighted DNS of the reports). */
  weights: z.record(idSchema, z.int().min(0).max(256)),
  healthCheck: z
    .object({ intervalS: positive.default(1), fall: z.int().positive().default(2), rise: z.int().positive().default(2) })
    .default({ intervalS: 1, fall: 2, rise: 2 }),
  /**
   * HAProxy processes, each with the same backends, weights and health checks on its own port;
   * clients spread over them (as weighted DNS spread clients over load balancers). One process
   * holds at most its maxconn (two descriptors per proxied connection, 20,000 per process).
   */
  processes: z.int({ error: `expected a whole number of edge processes in [1, ${MAX_EDGE_PROCESSES}]` }).min(1).max(MAX_EDGE_PROCESSES).default(1),
});

export const linkSchema = z.strictObject({
  name: idSchema,
  /** What the link leads to: a deployment name, `redis` or `webhooks`. */
  upstream: z.string().min(1),
});

export const topologySchema = z.strictObject({
  deployments: z.array(deploymentSchema).min(1),
  redis: z
    .strictObject({
      enabled: z.boolean().default(true),
      // Accepted once and never applied: refused with the fix rather than silently ignored.
      memoryMb: z.never({ error: 'nothing applies topology.redis.memoryMb: Redis runs without a memory limit; remove memoryMb' }).optional(),
    })
    .default({ enabled: true }),
  webhooks: z
    .object({
      enabled: z.boolean().default(false),
      /** An expected webhook that arrives later than this is counted late, never on time. */
      deadlineS: positive.default(5),
    })
    .default({ enabled: false, deadlineS: 5 }),
  edge: edgeSchema,
  links: z.array(linkSchema).default([]),
});

/** At most this share of the clients leaves per second: each client then churns every 5 s on average, at most. */
export const MAX_CHURN_SHARE_PER_S = 0.2;
/** A churned client stays away at most this long before it comes back. */
export const MAX_CHURN_AWAY_MS = 60_000;

/**
 * Clients that leave (a clean close, as a user closing the tab) and come back: real traffic churns all
 * day. Each second of [fromS, toS), `sharePerS` of the population is picked (seeded); a picked client
 * that is connected closes and reconnects `awayMs` later as a new session. Not a drop: judged apart.
 */
export const churnSchema = z
  .strictObject({
    sharePerS: z
      .number({ error: `expected a share of the clients per second, a number in (0, ${MAX_CHURN_SHARE_PER_S}]` })
      .gt(0, { error: `expected a share of the clients per second above 0 (0.05 = 5% leave and come back each second); remove churn for none` })
      .max(MAX_CHURN_SHARE_PER_S, {
        error: `expected a share of the clients per second of at most ${MAX_CHURN_SHARE_PER_S} (each client leaving every 5 s on average); a share is a fraction: 5% is 0.05`,
      }),
    /** Replay second churn begins; default: when the last client has arrived (load.ramp.upS). */
    fromS: seconds.optional(),
    /** Replay second churn ends; default: the end of the replay. */
    toS: seconds.optional(),
    /** How long a leaving client stays away before it reconnects. */
    awayMs: z
      .int({ error: `expected whole milliseconds in [0, ${MAX_CHURN_AWAY_MS}]` })
      .min(0, { error: `expected whole milliseconds in [0, ${MAX_CHURN_AWAY_MS}]` })
      .max(MAX_CHURN_AWAY_MS, { error: `expected at most ${MAX_CHURN_AWAY_MS} ms away: a client gone longer is not churn, lower awayMs` })
      .default(1000),
  })
  .refine((c) => c.fromS === undefined || c.toS === undefined || c.toS > c.fromS, { message: 'expected churn.toS > churn.fromS', path: ['toS'] });

/**
 * How many k6 processes share one k6 run, each with its execution segment (k6's own mechanism for
 * distributed runs): together they make the load of one process, and each has its own open-file limit.
 */
const k6InstancesSchema = z
  .int({ error: 'expected a whole number of k6 processes >= 1 (1: one process; --load-instances N sets it for every k6 run)' })
  .min(1, { error: 'expected at least 1 k6 process (1: one process; --load-instances N sets it for every k6 run)' })
  .default(1);

const k6ScriptSchema = z.strictObject({
  /** One of the harness's k6 scripts in scenarios/load/, e.g. `ws-subscribers.ts`; its params are in k6-scripts.ts. */
  script: z.enum(K6_SCRIPT_NAMES, { error: `expected one of the harness's k6 scripts: ${K6_SCRIPT_NAMES.join(', ')} (in scenarios/load/)` }),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  vus: z.int().positive().default(1),
  durationS: positive,
  /** The VUs and arrival rate split over this many k6 processes (execution segments). */
  instances: k6InstancesSchema,
  /** Sockets that leave and come back (ws-subscribers.ts reads it as CHURN_* parameters). */
  churn: churnSchema.optional(),
});

export const reconnectPolicySchema = z.strictObject({
  /** `immediate` reconnects at once (stampede); `backoff` waits base·2^n up to max. */
  strategy: z.enum(['immediate', 'backoff']),
  baseMs: z.int().nonnegative().default(1000),
  maxMs: z.int().positive().default(30_000),
  jitter: z.boolean().default(false),
  /** Consecutive WebSocket failures before the client falls back to HTTP (pusher-js behaviour). */
  fallbackAfterFailures: z.int().positive().default(2),
});

export const loadSchema = z.strictObject({
  k6: z.array(k6ScriptSchema).default([]),
  /**
   * Publishing load through the edge's REST API (k6 `rest-publish.ts`, signed, keep-alive) on the
   * channels the clients subscribe to (`load-0` .. `load-{channels-1}`), for the whole replay.
   * `ratePerS: 0` only names the channel pool.
   */
  publish: z
    .object({ ratePerS: z.number().nonnegative(), payloadBytes: z.int().positive(), channels: z.int().positive().default(1), instances: k6InstancesSchema })
    .optional(),
  ramp: z.strictObject({ upS: seconds.default(5), holdS: seconds.optional(), downS: seconds.default(0) }).default({ upS: 5, downS: 0 }),
  /** Node clients that behave like pusher-js: WebSocket first, back off, fall back to HTTP. */
  clients: z
    .object({
      count: z.int().nonnegative(),
      reconnect: reconnectPolicySchema,
      channelsPerClient: z.int().positive().default(1),
      channelKind: z.enum(['public', 'private', 'presence']).default('public'),
      churn: churnSchema.optional(),
    })
    .optional(),
  /** Hard bounds: no load runs longer or opens more connections than this. */
  maxDurationS: positive.default(150),
  maxConnections: z.int().positive().default(5000),
});

export { kindError };

export const probeSchema = z.discriminatedUnion('kind', [
  /** Publishes numbered messages on a probe channel and checks delivery (lost/dup/reordered/latency). */
  z.strictObject({
    kind: z.literal('delivery'),
    id: idSchema,
    transport: transportSchema,
    /** Pin to one deployment (bypassing edge weights) so each deployment is probed on its own. */
    deployment: idSchema.optional(),
    ratePerS: positive.default(5),
    subscribers: z.int().positive().default(1),
    /**
     * Every this many seconds each subscriber leaves the channel and joins it again at once, on the
     * same connection. Publishing pauses from before the leave until the new subscription is
     * confirmed, so every message sent is still owed: a rejoin the server loses shows as loss.
     */
    rejoinEveryS: positive.optional(),
  }),
  /** REST requests over one keep-alive connection; each response must belong to its request. */
  z.strictObject({
    kind: z.literal('rest'),
    id: idSchema,
    deployment: idSchema.optional(),
    ratePerS: positive.default(5),
    keepAlive: z.boolean().default(true),
    /** Every Nth request carries oversized event data (expects 413). 0 = never. */
    oversizedEvery: z.int().nonnegative().default(0),
    mix: z.array(z.enum(['publish', 'channel-info'])).min(1).default(['publish', 'channel-info']),
    /** Who sends: `raw` (default) reads the wire byte by byte; `pusher` is the npm client app servers use. */
    client: z.enum(['raw', 'pusher']).optional(),
  }),
  /** Triggers webhook-producing activity on a transport and expects each webhook by the deadline. */
  z.strictObject({
    kind: z.literal('webhook'),
    id: idSchema,
    transport: transportSchema,
    deployment: idSchema.optional(),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
    ratePerS: positive.default(1),
  }),
  /**
   * Reaches one pod's connection cap on purpose at `atS`: opens WebSocket connections to a pod of
   * `deployment` in batches until the pod refuses, then checks that admitted connections still
   * receive, and closes them all. `limit` is the deployment's configured `maxConnections`.
   */
  z.strictObject({
    kind: z.literal('cap'),
    id: idSchema,
    deployment: idSchema,
    transport: z.literal('ws').default('ws'),
    limit: z.int().positive(),
    atS: seconds,
    /** Connections opened at once; the pod's count is exact whatever the batch. */
    batch: z.int().positive().max(100).default(25),
  }),
  /**
   * Fills one HTTP-fallback pod's request limiter on purpose at `atS`: `maxConcurrent` served at once
   * plus `queueLimit` waiting, then `extra` more, each a session-opening poll on its own connection,
   * sent in order within one service period (`costMs`). Checks where the pod began refusing, the order
   * it served its queue in, and that a sample of the sessions it admitted still receives. It fills a
   * pod no pinned probe uses (the deployment needs a second pod), so its refusals reach no other
   * client the variant measures. The three limits are the deployment's FALLBACK_* settings.
   */
  z.strictObject({
    kind: z.literal('fallback-queue'),
    id: idSchema,
    deployment: idSchema,
    maxConcurrent: z.int().positive(),
    queueLimit: z.int().nonnegative(),
    costMs: z.int().positive(),
    atS: seconds,
    /** Requests beyond the limit: the first of them must be refused. */
    extra: z.int().positive().max(50).default(8),
  }),
  /**
   * Fills one pod to the connections its memory limit was sized for (the capacity model) at `atS`,
   * holds them `holdS` seconds while the pod sampler reads its working set, then closes them. The
   * limit SLO compares the peak with what the model predicts for what the pod held: no OOM kill,
   * and the headroom the sizing promised still free. `memoryMb` is the deployment's; `baseMb` and
   * `perConnectionMb` the model's fit (harness/capacity/sizing.ts: podMemoryFit).
   */
  z.strictObject({
    kind: z.literal('memory-headroom'),
    id: idSchema,
    deployment: idSchema,
    connections: z.int().positive(),
    memoryMb: z.int().positive(),
    baseMb: z.number().nonnegative(),
    perConnectionMb: z.number().positive(),
    atS: seconds,
    /** Long enough for the 1 s pod sampler to read the pod at least twice while it holds them all. */
    holdS: z.int().min(2).max(30).default(3),
    batch: z.int().positive().max(100).default(25),
  }),
], kindError(['delivery', 'rest', 'webhook', 'cap', 'fallback-queue', 'memory-headroom']));

const windowSecondsSchema = z
  .object({ from: seconds, to: seconds })
  .refine((w) => w.to > w.from, { message: 'expected to > from' });

const selectorSchema = z.strictObject({ metric: z.string().min(1), where: labelsSchema.optional() });

export const alertRuleSchema = z.discriminatedUnion('kind', [
  /** numerator/denominator over a trailing window, e.g. connect failures / attempts > 1%. */
  z.strictObject({
    kind: z.literal('ratio'),
    numerator: selectorSchema,
    denominator: selectorSchema,
    op: comparatorSchema,
    value: z.number(),
    windowS: z.int().positive().default(5),
  }),
  /** A statistic of one metric over a trailing window, e.g. sum of webhooks.missing > 0. */
  z.strictObject({
    kind: z.literal('threshold'),
    metric: z.string().min(1),
    where: labelsSchema.optional(),
    stat: z.enum(['sum', 'max', 'min', 'last', 'p50', 'p90', 'p95', 'p99']),
    op: comparatorSchema,
    value: z.number(),
    windowS: z.int().positive().default(1),
  }),
  /** Any pod (of a deployment, or any) not running-and-ready. */
  z.strictObject({ kind: z.literal('pod-unhealthy'), deployment: idSchema.optional() }),
], kindError(['ratio', 'threshold', 'pod-unhealthy']));

export const alertSchema = z.strictObject({
  id: idSchema,
  title: z.string().min(1),
  rule: alertRuleSchema,
  /** The condition must hold this long before the alert fires (Prometheus `for:`). */
  forS: seconds.default(0),
});

const sloBase = {
  id: idSchema,
  title: z.string().min(1),
  /** Why this number: a person reading the report should not have to guess. */
  why: z.string().min(1),
  /** k6-style threshold, e.g. `rate>=0.99`, `p(99)<250`, `count==0`, `value<=20`. */
  threshold: z.string().min(1),
  window: windowSecondsSchema.optional(),
};

export const recoverySignalSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('ratio'), numerator: selectorSchema, denominator: selectorSchema }),
    z.strictObject({ kind: z.literal('gauge'), metric: z.string().min(1), where: labelsSchema.optional(), baselineS: z.int().positive().default(5) }),
  ],
  kindError(['ratio', 'gauge']),
);

/** What a delivery probe's streams are judged on: Pusher delivers each message once, in order, per subscriber. */
export const DELIVERY_CHECKS = ['lost', 'duplicated', 'reordered'] as const;
/** What a webhook probe's stream is judged on: each owed webhook once, and none that nothing caused. */
export const WEBHOOK_CHECKS = ['missing', 'duplicated', 'stray'] as const;
export type DeliveryCheck = (typeof DELIVERY_CHECKS)[number];
export type WebhookCheck = (typeof WEBHOOK_CHECKS)[number];

export const sloSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...sloBase, kind: z.literal('ratio'), numerator: selectorSchema, denominator: selectorSchema }),
  z.strictObject({ ...sloBase, kind: z.literal('trend'), metric: z.string().min(1), where: labelsSchema.optional() }),
  z.strictObject({ ...sloBase, kind: z.literal('count'), metric: z.string().min(1), where: labelsSchema.optional() }),
  z.strictObject({ ...sloBase, kind: z.literal('gauge'), metric: z.string().min(1), where: labelsSchema.optional() }),
  /** Seconds from the fault (first matching event) to the alert's first firing. */
  z.strictObject({
    ...sloBase,
    kind: z.literal('detection'),
    alert: idSchema,
    fault: eventMatcherSchema,
    /** When the fault never happened: `pass` (nothing to detect, stated in the verdict) or `unknown`. */
    whenNoFault: z.enum(['pass', 'unknown']).default('unknown'),
  }),
  /**
   * Seconds from an event until a signal is back at `level` for `holdS` seconds: a per-second ratio
   * (e.g. publish success), or a gauge against its mean over the `baselineS` before the event (e.g.
   * connected clients: "time until every client is connected again").
   */
  z.strictObject({
    ...sloBase,
    kind: z.literal('recovery'),
    from: eventMatcherSchema,
    signal: recoverySignalSchema,
    level: z.number().min(0).max(1),
    holdS: z.int().positive().default(3),
    whenNoFault: z.enum(['pass', 'unknown']).default('unknown'),
  }),
  /** Messages lost, duplicated or reordered on one delivery probe (all its subscriber streams), e.g. `count==0`. */
  z.strictObject({ ...sloBase, kind: z.literal('delivery'), probe: idSchema, check: z.enum(DELIVERY_CHECKS), transport: transportSchema.optional() }),
  /** One webhook probe's webhooks that went missing, came again after a 2xx, or that nothing caused. */
  z.strictObject({ ...sloBase, kind: z.literal('webhook'), probe: idSchema, check: z.enum(WEBHOOK_CHECKS) }),
  /**
   * The trend of a pod gauge over a window, e.g. `value<=6` MB per minute of `pod.heapLiveMb`: a
   * least-squares slope per minute, fitted per pod on the samples it reported (none carried); a
   * group's slope (per pod, per deployment or every matching pod) is the sum of its pods' slopes,
   * and the value is the steepest group's. With `holding: 'connections'` each pod's slope is the
   * growth its open connections do not explain (memory growth at a constant connection count). Too
   * few samples on a pod that ran, a silent sampler, or connections that moved in step with time are
   * `unknown`. `pod.heapLiveMb` needs LIVE_HEAP_SAMPLE_MS on the judged deployments (cross-check.ts).
   */
  z.strictObject({
    ...sloBase,
    kind: z.literal('gauge-trend'),
    metric: z.string().min(1),
    where: labelsSchema.optional(),
    per: z.enum(['pod', 'deployment', 'all']).default('all'),
    holding: z.literal('connections').optional(),
    /** Samples every pod of a group needs in the window; fewer is unknown. */
    minSamples: z.int().min(10).default(20),
    window: windowSecondsSchema,
  }),
  /**
   * A cap or fallback-queue probe's finding, e.g. `value<=2`: the value is how far from the configured
   * limit the pod began refusing (|open before + admitted − limit|; for the fallback, requests in its
   * limiter). Fails outright when it never refused, refused for another reason than `refusal`, or
   * something admitted stopped working; a fallback queue also fails when it served out of arrival order.
   * For a memory-headroom probe the value is how many MiB the pod's peak working set exceeded the
   * capacity model's prediction for what it held; an OOM kill or a refusal fails outright.
   */
  z.strictObject({
    ...sloBase,
    kind: z.literal('limit'),
    probe: idSchema,
    /** How the pod must refuse past a cap or a fallback queue; a memory-headroom probe expects no refusal. */
    refusal: z.string().min(1).optional(),
  }),
], kindError(['ratio', 'trend', 'count', 'gauge', 'gauge-trend', 'detection', 'recovery', 'delivery', 'webhook', 'limit']));

/**
 * Delivery semantics judged by default: every variant that holds all SLOs gets a `delivery` SLO per
 * delivery probe and check and a `webhook` SLO per webhook probe and check, `count==0`
 * (semantic-checks.ts). An SLO with the same id replaces the default; an exemption drops it, with
 * the reason (from the postmortem) that the report shows.
 */
export const semanticsSchema = z.strictObject({
  exempt: z
    .array(z.strictObject({ probe: idSchema, check: z.enum([...DELIVERY_CHECKS, 'missing', 'stray']), why: z.string().min(1) }))
    .default([]),
});

export const metadataShape = {
  id: idSchema,
  title: z.string().min(1),
  /** The postmortem this replays, a file name in shared/postmortems/. */
  postmortem: z.string().regex(/^[\w.-]+\.txt$/, 'expected a postmortem file name ending in .txt'),
  summary: z.string().min(1),
};

/** Everything a variant can override. */
export const bodyShape = {
  seed: z.int().nonnegative().default(1),
  /** Replay length in seconds (after set-up, before tear-down). */
  durationS: positive,
  topology: topologySchema,
  load: loadSchema,
  timeline: z.array(timelineActionSchema).default([]),
  probes: z.array(probeSchema).default([]),
  alerts: z.array(alertSchema).default([]),
  slos: z.array(sloSchema).min(1),
  semantics: semanticsSchema.default({ exempt: [] }),
  /** Stress axes `harness margin` may push this variant along (axes/registry.ts); none by default. */
  axes: z.array(axisSchema).default([]),
};

export const expectationSchema = z.union([
  z.strictObject({ breach: z.array(idSchema).min(1) }),
  z.strictObject({ hold: z.literal('all') }),
]);

export const variantMetaShape = {
  /** What this variant is, in a sentence (shown in reports). */
  description: z.string().min(1).optional(),
  expect: expectationSchema.optional(),
};

export type Deployment = z.output<typeof deploymentSchema>;
export type Topology = z.output<typeof topologySchema>;
export type Load = z.output<typeof loadSchema>;
export type Probe = z.output<typeof probeSchema>;
export type Alert = z.output<typeof alertSchema>;
export type AlertRule = z.output<typeof alertRuleSchema>;
export type Slo = z.output<typeof sloSchema>;
export type Selector = z.output<typeof selectorSchema>;
export type Expectation = z.output<typeof expectationSchema>;
export type ReconnectPolicy = z.output<typeof reconnectPolicySchema>;
export type Churn = z.output<typeof churnSchema>;
export type Semantics = z.output<typeof semanticsSchema>;
