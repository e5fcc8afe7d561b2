import { z } from 'zod';

// Evidence as typed events: what the harness did to the system and what the system was seen to do,
// each a schema of its own rather than text in a log line, so nothing that judges or reports it
// parses strings and nothing that keeps log lines bounded can cut it.

const t = z.number().nonnegative();
const counts = z.record(z.string(), z.number());

/** Docker's last word on a pod and the pod's own counters, recorded before the topology goes. */
export const podFinalSchema = z.object({
  type: z.literal('pod.final'),
  t,
  deployment: z.string(),
  pod: z.string(),
  /** From `docker inspect`; absent when the container could no longer be inspected. */
  running: z.boolean().optional(),
  status: z.string().optional(),
  exitCode: z.int().optional(),
  oomKilled: z.boolean().optional(),
  restartCount: z.int().nonnegative().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** The pod's own counters from /metrics; absent when it was not running or did not answer. */
  counters: z.object({ webhookWrites: counts, restByStatus: counts, refusedByReason: counts }).optional(),
  /** Its last log lines. */
  tail: z.array(z.string()),
});

export const POD_OUTCOMES = ['up', 'refused', 'not-ready', 'skipped-locked', 'unchanged'] as const;

/** One pod of a deploy (roll-out, rollback, pod.env): what it ended up as, read back from the pod. */
export const deployPodSchema = z.object({
  type: z.literal('deploy.pod'),
  t,
  /** Which deploy, e.g. "deploy.rollout ap2 → v2 / config 2". */
  deploy: z.string(),
  deployment: z.string(),
  pod: z.string(),
  outcome: z.enum(POD_OUTCOMES),
  version: z.string().optional(),
  configVersion: z.string().optional(),
  exitCode: z.int().optional(),
  /** The pod's own log line saying why it refused. */
  logLine: z.string().optional(),
  lockedBy: z.string().optional(),
});

/** A gate an action waited on (a guarded shift, a roll-out's check after a batch of pods). */
export const gateCheckedSchema = z.object({
  type: z.literal('gate.checked'),
  t,
  index: z.int(),
  action: z.string(),
  target: z.string(),
  passed: z.boolean(),
  waitedS: z.number().nonnegative(),
  detail: z.string(),
  onFail: z.enum(['halt', 'rollback']),
  /** The pods replaced in the batch the gate checked (roll-outs). */
  afterPods: z.array(z.string()).optional(),
});

/** The moment a rollback was decided: recovery SLOs count from it. */
export const rollbackDecidedSchema = z.object({
  type: z.literal('rollback.decided'),
  t,
  index: z.int().optional(),
  deployment: z.string(),
  scope: z.enum(['app', 'app+config']),
  /** The release rolled back from; absent only in histories of older runs (their gate's line did not name it). */
  from: z.string().optional(),
  to: z.string(),
  why: z.string(),
});

/** An action's heal step ran: on its own timer (`durationS`) or at teardown. */
export const actionHealedSchema = z.object({
  type: z.literal('action.healed'),
  t,
  index: z.int(),
  action: z.string(),
  target: z.string(),
  /** What the heal did, in words ("unpause new/0"). */
  heal: z.string(),
  trigger: z.enum(['timer', 'teardown']),
  ok: z.boolean(),
  error: z.string().optional(),
  evidence: z.record(z.string(), z.unknown()).optional(),
});

/** The supervisor restarted a pod whose liveness probe kept failing (a kubelet's restart). */
export const livenessRestartSchema = z.object({
  type: z.literal('liveness.restart'),
  t,
  deployment: z.string(),
  pod: z.string(),
  failures: z.int().positive(),
  ok: z.boolean(),
  error: z.string().optional(),
});

/**
 * Raw bytes a REST probe saw on one connection when a response did not belong to its request: a
 * response nobody asked for (`unsolicited`), or another request's response (`misaligned`).
 */
export const restWireSchema = z.object({
  type: z.literal('rest.wire'),
  t,
  probe: z.string(),
  connection: z.string(),
  kind: z.enum(['unsolicited', 'misaligned']),
  /** The request that read the wrong response, its expected and read fingerprints (misaligned). */
  request: z.string().optional(),
  expected: z.string().optional(),
  got: z.string().optional(),
  /** The last responses on the connection, oldest first: index on the connection and raw text (first 300 bytes). */
  responses: z.array(z.object({ index: z.int(), status: z.int().optional(), raw: z.string() })),
});

/** What faults changed since the topology started, as the run left it (recorded at teardown). */
export const faultStateSchema = z.object({
  type: z.literal('faults.state'),
  t,
  /** Edge weights by `listener/route`, for routes a fault changed. */
  weights: z.record(z.string(), z.record(z.string(), z.number())),
  /** Deployment env, for deployments a fault changed. */
  env: z.record(z.string(), z.record(z.string(), z.string())),
  /** The current release per deployment a deploy touched ("v1 / config 1"). */
  releases: z.record(z.string(), z.string()),
  replicas: z.record(z.string(), z.int().nonnegative()),
  locks: z.array(z.object({ pod: z.string(), heldBy: z.string(), sinceMs: z.number() })),
  /** Releases a failed gate stopped, with why. */
  stopped: z.record(z.string(), z.string()),
});

export const evidenceEventSchemas = [faultStateSchema, podFinalSchema, deployPodSchema, gateCheckedSchema, rollbackDecidedSchema, actionHealedSchema, livenessRestartSchema, restWireSchema] as const;
