import { z } from 'zod';
import { CONNECTION_ROLES } from './profile-schema.ts';

// capacity.json: every breakpoint run with its steps and its break, the fitted model with its error,
// and the plan. Documented field by field in docs/capacity.md; this schema is the contract.

export const CAPACITY_SCHEMA_VERSION = 1;

const nullableNum = z.number().nullable();

/** none: the run reached its bound (connections or rate) without breaking. */
/** cpu-target: a message run's pod passed the planned CPU utilisation (slo.maxCpuUtilisation): what the run measures. */
export const breakKindSchema = z.enum(['oom-killed', 'exited', 'refusal', 'slo', 'cpu-target', 'none']);
export type BreakKind = z.infer<typeof breakKindSchema>;

export const breakSchema = z.strictObject({
  kind: breakKindSchema,
  /** Seconds since the run's load started. */
  atS: z.number(),
  /** Connections held (connection runs) or offered publishes per second (message runs) at the break. */
  value: z.number(),
  reason: z.string(),
});
export type BreakInfo = z.infer<typeof breakSchema>;

export const connectionStepSchema = z.strictObject({
  atS: z.number(),
  /** Open connections the pod reports (sut_connections), or the last known value while it cannot answer. */
  connections: z.number(),
  /** Connection attempts the clients had started by then. */
  attempted: z.number(),
  memoryMb: nullableNum,
  cpuCores: nullableNum,
  connectP99Ms: nullableNum,
  failures: z.number(),
  refused: z.number(),
});
export type ConnectionStep = z.infer<typeof connectionStepSchema>;

const podSize = { memoryMb: z.number(), cpus: z.number(), use: z.enum(['fit', 'holdout']) };
const podEnd = z.strictObject({ oomKilled: z.boolean(), exitCode: z.number().nullable(), running: z.boolean() });

export const connectionRunResultSchema = z.strictObject({
  id: z.string(),
  role: z.enum(CONNECTION_ROLES),
  ...podSize,
  rampPerS: z.number(),
  maxConnections: z.number(),
  client: z.enum(['k6', 'node']),
  /** Client processes that held the connections (absent in runs made before k6 was split). */
  clientProcesses: z.int().positive().optional(),
  steps: z.array(connectionStepSchema),
  break: breakSchema,
  pod: podEnd,
});
export type ConnectionRunResult = z.infer<typeof connectionRunResultSchema>;

export const messageStepSchema = z.strictObject({
  atS: z.number(),
  offeredRatePerS: z.number(),
  /** Which repeat of its rate (0-based); absent in runs made before rate steps were repeated. */
  repeat: z.int().nonnegative().optional(),
  /** Seconds of pod counters the step's rates (deliveredPerS, cpuCores) were measured over. */
  windowS: z.number().optional(),
  publishes: z.number(),
  publishP99Ms: nullableNum,
  unexpected: z.number(),
  dropped: z.number(),
  deliveredPerS: z.number(),
  deliveredRatio: nullableNum,
  cpuCores: z.number(),
  utilisation: z.number(),
  memoryMb: nullableNum,
});
export type MessageStep = z.infer<typeof messageStepSchema>;

export const messageRunResultSchema = z.strictObject({
  id: z.string(),
  ...podSize,
  subscribers: z.number(),
  channels: z.number(),
  fanOut: z.number(),
  steps: z.array(messageStepSchema),
  break: breakSchema,
  pod: podEnd,
});
export type MessageRunResult = z.infer<typeof messageRunResultSchema>;

const linearFitSchema = z.strictObject({ slope: z.number(), intercept: z.number(), n: z.number(), r2: z.number(), rmse: z.number(), maxAbsResidual: z.number() });

/** A prediction the model made for one run, against what that run measured. */
export const predictionSchema = z.strictObject({
  run: z.string(),
  use: z.enum(['fit', 'holdout']),
  size: z.string(),
  predicted: z.number(),
  measured: z.number().nullable(),
  /** (predicted - measured) / measured; null when the run did not break the way the model predicts. */
  error: z.number().nullable(),
  /** When `measured` is the median of several steps: their least and greatest value and how many. */
  spread: z.strictObject({ min: z.number(), max: z.number(), n: z.int().positive() }).optional(),
  note: z.string(),
});
export type Prediction = z.infer<typeof predictionSchema>;

export const memoryModelSchema = z.strictObject({
  role: z.enum(CONNECTION_ROLES),
  /** Working-set memory of the pod with no connections, MiB (the fit's intercept). */
  baseMb: z.number(),
  /** Working-set memory per connection, KiB (the fit's slope). */
  perConnectionKb: z.number(),
  fit: linearFitSchema,
  predictions: z.array(predictionSchema),
});
export type MemoryModel = z.infer<typeof memoryModelSchema>;

export const messageModelSchema = z.strictObject({
  /** CPU cores = intercept + slope × delivered messages/s, over the steps before the break. */
  cpuFit: linearFitSchema,
  messagesPerSPerCore: z.number(),
  /** publish p99 (ms) = l0 / (1 - utilisation), and where that curve reaches the SLO (reported, not planned on). */
  latency: z.strictObject({ l0: z.number(), n: z.number(), rmse: z.number(), utilisationAtSlo: z.number() }),
  /**
   * What the plan and the predictions load a pod's CPU to, before headroom. basis `cpu-utilisation`:
   * slo.maxCpuUtilisation, a policy; the runs measure the delivery rate at which each pod reaches it.
   * basis `latency-slo` (models measured before December 2026): the highest utilisation the fit runs
   * held their publish-latency SLO at.
   */
  utilisationAtSlo: z.number(),
  basis: z.enum(['latency-slo', 'cpu-utilisation']).default('latency-slo'),
  predictions: z.array(predictionSchema),
});
export type MessageModel = z.infer<typeof messageModelSchema>;

export const capacityModelSchema = z.strictObject({
  retainedBytesPerConnection: z.number(),
  memory: z.array(memoryModelSchema),
  messages: messageModelSchema,
  /** Largest |error| over held-out predictions, per quantity (null: no held-out run). */
  heldOutError: z.strictObject({ memory: z.number().nullable(), messages: z.number().nullable() }),
});
export type CapacityModel = z.infer<typeof capacityModelSchema>;

export const limitSchema = z.strictObject({
  name: z.string(),
  /** What one pod can carry under this limit, after headroom, in the unit of the load. */
  perPod: z.number(),
  load: z.number(),
  unit: z.string(),
  podsNeeded: z.number(),
});

export const rolePlanSchema = z.strictObject({
  role: z.enum(CONNECTION_ROLES),
  podMemoryMb: z.number(),
  podCpus: z.number(),
  limits: z.array(limitSchema),
  /** The limit that needs the most pods. */
  binding: z.string(),
  /** Pods for the load, plus one (N+1). */
  pods: z.number(),
  /** Memory a pod needs to hold its share with one pod down, plus headroom, rounded up to 8 MiB. */
  memoryLimitMb: z.number(),
});
export type RolePlan = z.infer<typeof rolePlanSchema>;

export const planSchema = z.strictObject({
  headroom: z.number(),
  roles: z.array(rolePlanSchema),
  failover: z.strictObject({
    /** Clients arriving on the fallback when the primary fails: share × ws connections. */
    surge: z.number(),
    /**
     * Fallback fleets and the largest surge each absorbs: sessions its pods hold at their measured
     * (OOM) limit with one pod down, minus the steady load. `planned` is this plan; `steadyOnly` is
     * the fleet sized for the steady load alone (what 2021 ran); `current` is target.currentFallbackPods.
     */
    fleets: z.array(z.strictObject({ name: z.enum(['planned', 'steady-only', 'current']), pods: z.number(), largestAbsorbableSurge: z.number(), survives: z.boolean() })),
  }),
  notes: z.array(z.string()),
});
export type CapacityPlan = z.infer<typeof planSchema>;

export const capacityReportSchema = z.strictObject({
  schemaVersion: z.literal(CAPACITY_SCHEMA_VERSION),
  generatedAt: z.string(),
  runId: z.string(),
  profile: z.strictObject({ file: z.string(), name: z.string() }),
  machine: z.strictObject({ cpus: z.number(), node: z.string() }),
  slo: z.strictObject({ connectP99Ms: z.number(), publishP99Ms: z.number(), minDeliveredRatio: z.number(), maxCpuUtilisation: z.number().optional() }),
  target: z.unknown(),
  connectionRuns: z.array(connectionRunResultSchema),
  messageRuns: z.array(messageRunResultSchema),
  model: capacityModelSchema,
  plan: planSchema,
  durationS: z.number(),
});
export type CapacityReport = z.infer<typeof capacityReportSchema>;
