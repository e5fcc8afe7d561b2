import { z } from 'zod';

// A capacity profile is data: which breakpoint runs to make (role, pod size, load shape, bounds),
// the SLOs that define "broken", and the target the plan sizes for. JSON, validated here.

const positive = z.number().positive();
const share = z.number().min(0).max(1);

/**
 * Per-process open files are capped at 20,000 here, the pod's included: the pod holds one socket per
 * connection, so 16,000 keeps it under the cap with room for its own files.
 */
export const MAX_CONNECTIONS_PER_RUN = 16_000;
/** k6 holds one socket per WebSocket connection: a ws run uses one k6 process per this many (execution segments). */
export const K6_SOCKETS_PER_PROCESS = 6000;
/** Fallback sessions are held by the harness process itself, up to two sockets each. */
export const MAX_FALLBACK_SESSIONS_PER_RUN = 4000;
/** Message-run subscribers are held by one k6 process. */
export const MAX_SUBSCRIBERS_PER_RUN = 4000;
/** Every connection run ends by this, whatever the load does. */
export const MAX_RUN_S = 120;
/** Every message run ends by this: its rate steps are repeated, so it runs longer. */
export const MAX_MESSAGE_RUN_S = 240;

export const CONNECTION_ROLES = ['ws', 'fallback'] as const;
export type ConnectionRole = (typeof CONNECTION_ROLES)[number];

const podSize = {
  memoryMb: z.int().min(32).max(2048),
  cpus: z.number().min(0.1).max(2),
  /** `fit`: its samples go into the model; `holdout`: only predicted, to measure the model's error. */
  use: z.enum(['fit', 'holdout']).default('fit'),
};

export const connectionRunSchema = z.strictObject({
  role: z.enum(CONNECTION_ROLES),
  ...podSize,
  /** New connections (ws) or sessions (fallback) per second. */
  rampPerS: positive.max(500),
  maxConnections: z.int().positive().max(MAX_CONNECTIONS_PER_RUN),
  /** Held after the ramp when nothing broke, so a slow OOM still shows. */
  holdS: z.number().min(0).max(30).default(3),
});

export const messageRunSchema = z.strictObject({
  ...podSize,
  subscribers: z.int().positive().max(MAX_SUBSCRIBERS_PER_RUN),
  /** Fan-out = subscribers / channels: each publish reaches one channel's subscribers. */
  channels: z.int().positive(),
  startRatePerS: positive,
  stepRatePerS: positive,
  maxRatePerS: positive.max(5000),
  /** Publishing time per rate step (one k6 run each). */
  stepS: z.number().min(2).max(20).default(4),
  /** Each rate step is run this many times: the spread of the repeats is the measurement's noise. */
  repeats: z.int().min(1).max(5).default(1),
  payloadBytes: z.int().min(16).max(10_240).default(100),
});

export const sloSchema = z.strictObject({
  /** p99 of connect (ws) or session-open (fallback) time within one sampling step. */
  connectP99Ms: positive.default(1000),
  /** p99 of the REST publish request within one rate step. */
  publishP99Ms: positive.default(100),
  /** Messages delivered / (publishes accepted × fan-out) below this means the pod fell behind. */
  minDeliveredRatio: share.default(0.95),
  /**
   * A pod is planned up to this CPU utilisation (before headroom); message runs ramp until they
   * pass it. A policy, like headroom: near its CPU limit a pod's quota is throttled in bursts and
   * latency turns erratic, so capacity is measured on CPU time at this utilisation, not at a limit.
   */
  maxCpuUtilisation: share.min(0.1).max(0.95).default(0.6),
});

export const targetSchema = z.strictObject({
  /** Connections the service must hold in steady state, per transport. */
  connections: z.strictObject({ ws: z.int().nonnegative(), fallback: z.int().nonnegative() }),
  /** Publishes per second, all channels together. */
  publishRatePerS: z.number().nonnegative(),
  /** Subscribers reached by one publish. */
  fanOut: positive,
  /** Share of WebSocket clients that land on the fallback when the primary fails (2021-09: up to 50%). */
  fallbackShareOnPrimaryFailure: share,
  /** The fallback pods deployed today, if any: the plan says whether they survive the primary failing. */
  currentFallbackPods: z.int().positive().optional(),
  /** Capacity kept free on every pod: each pod is planned at (1 - headroom) of its measured limit. */
  headroom: share.max(0.9),
  /** The pod size the plan uses per role (memory limit and CPU); the plan also says the memory each pod really needs. */
  podSize: z.strictObject({
    ws: z.strictObject({ memoryMb: z.int().min(32), cpus: z.number().min(0.1) }),
    fallback: z.strictObject({ memoryMb: z.int().min(32), cpus: z.number().min(0.1) }),
  }),
});

export const profileSchema = z.strictObject({
  /** Free text kept with the file (JSON has no comments). */
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  name: z.string().min(1),
  /** Server env RETAINED_BYTES_PER_CONNECTION for every run: the per-connection memory being sized. */
  retainedBytesPerConnection: z.int().min(0).max(1024 * 1024),
  /** Sampling interval of the pod during connection runs. */
  sampleMs: z.int().min(200).max(5000).default(500),
  connectionRuns: z.array(connectionRunSchema).default([]),
  messageRuns: z.array(messageRunSchema).default([]),
  slo: sloSchema.default({ connectP99Ms: 1000, publishP99Ms: 100, minDeliveredRatio: 0.95, maxCpuUtilisation: 0.6 }),
  target: targetSchema,
});

export type CapacityProfile = z.infer<typeof profileSchema>;
export type ConnectionRun = z.infer<typeof connectionRunSchema>;
export type MessageRun = z.infer<typeof messageRunSchema>;
export type CapacityTarget = z.infer<typeof targetSchema>;
export type CapacitySlo = z.infer<typeof sloSchema>;
