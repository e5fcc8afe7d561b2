import { z } from 'zod';
import { actionHealedSchema, deployPodSchema, faultStateSchema, gateCheckedSchema, livenessRestartSchema, podFinalSchema, restWireSchema, rollbackDecidedSchema } from '../history/evidence-events.ts';

// summary.json, version 1. Documented in reports/README.md; any change to the shape bumps the
// version so CI tooling reading it can tell. Validated before it is written.

export const SUMMARY_SCHEMA_VERSION = 2;

const NO_EVIDENCE = { faultState: null, pods: [], deploys: [], gates: [], rollbacks: [], heals: [], livenessRestarts: [], wire: [] };

const status = z.enum(['pass', 'fail', 'unknown']);
const seconds = z.number().nullable();

export const sloSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  why: z.string(),
  threshold: z.string(),
  status,
  value: z.number().nullable(),
  unit: z.enum(['ratio', 'ms', 'count', 's', 'value']),
  detail: z.string(),
  window: z.object({ from: z.number(), to: z.number() }).nullable(),
});

export const variantSummarySchema = z.object({
  variant: z.string(),
  description: z.string().nullable(),
  seed: z.number(),
  startedAt: z.string().nullable(),
  /** Seconds covered by the chart series (replay + tear-down). */
  durationS: z.number(),
  /** Seconds judged as the whole run: [0, replayS). */
  replayS: z.number(),
  events: z.number().int(),
  /** Most connections open at once over the replay, every pod's `connections` gauge summed; null without samples; absent in older files. */
  peakConnections: z.number().nullable().optional(),
  expectation: z.union([z.object({ breach: z.array(z.string()) }), z.object({ hold: z.literal('all') })]),
  verdict: z.object({
    status: z.enum(['reproduced', 'rotted', 'held', 'broken', 'inconclusive']),
    met: z.boolean(),
    reasons: z.array(z.string()),
    unexpectedBreaches: z.array(z.string()),
    /** What the run failed to show apart from any SLO (incomplete history, a fault without evidence); absent in older files. */
    evidenceGaps: z.array(z.string()).optional(),
  }),
  slos: z.array(sloSummarySchema),
  alerts: z.array(z.object({ alert: z.string(), title: z.string(), firedAtS: z.number(), resolvedAtS: seconds, subject: z.string().nullable() })),
  detections: z.array(z.object({ slo: z.string(), alert: z.string(), faultAtS: seconds, firedAtS: seconds, seconds })),
  actions: z.array(
    z.object({
      index: z.number().int(),
      type: z.string(),
      target: z.string(),
      at: z.number(),
      label: z.string(),
      startedAtS: seconds,
      appliedAtS: seconds,
      failedAtS: seconds,
      error: z.string().nullable(),
      evidence: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  delivery: z.array(
    z.object({
      probe: z.string(),
      subscriber: z.string(),
      transport: z.string(),
      deployment: z.string().nullable(),
      sent: z.number(),
      received: z.number(),
      lost: z.number(),
      duplicated: z.number(),
      reordered: z.number(),
      pending: z.number(),
      lostSeqs: z.array(z.number()),
    }),
  ),
  rest: z.object({
    requests: z.number(),
    responses: z.number(),
    aligned: z.number(),
    misaligned: z.number(),
    unanswered: z.number(),
    validRequests: z.number(),
    valid4xx: z.number(),
    byStatusClass: z.record(z.string(), z.number()),
    examples: z.array(z.object({ id: z.string(), t: z.number(), status: z.number(), expected: z.string(), got: z.string() })),
  }),
  webhooks: z.object({
    unexpected: z.number(),
    transports: z.array(
      z.object({
        transport: z.string(),
        expected: z.number(),
        received: z.number(),
        late: z.number(),
        missing: z.number(),
        invalidSignature: z.number(),
        pending: z.number(),
        duplicated: z.number().default(0),
        stray: z.number().default(0),
        byEvent: z.record(z.string(), z.object({ expected: z.number(), received: z.number(), missing: z.number() })),
      }),
    ),
  }),
  /** The first 100 log lines worth reading (tagged or stderr); evidence is never among them. */
  logs: z.array(z.object({ t: z.number(), source: z.string(), stream: z.string(), line: z.string(), tag: z.string().nullable() })),
  /**
   * Every typed evidence event of the history, as recorded (`t` in ms), never cut. Version 1 files
   * have none (their evidence was tagged log lines): read back, theirs is empty.
   */
  evidence: z.object({
    faultState: faultStateSchema.nullable(),
    pods: z.array(podFinalSchema),
    deploys: z.array(deployPodSchema),
    gates: z.array(gateCheckedSchema),
    rollbacks: z.array(rollbackDecidedSchema),
    heals: z.array(actionHealedSchema),
    livenessRestarts: z.array(livenessRestartSchema),
    wire: z.array(restWireSchema),
  }).default(NO_EVIDENCE),
  warnings: z.array(z.string()),
  /** Default delivery/webhook checks not judged in this variant, with the scenario's reason. */
  exempt: z.array(z.object({ probe: z.string(), check: z.string(), why: z.string() })).default([]),
  narrative: z.array(z.string()),
});

export const summarySchema = z.object({
  /** Written as the current version; version 1 files (baselines of older runs) still read. */
  schemaVersion: z.union([z.literal(1), z.literal(SUMMARY_SCHEMA_VERSION)]),
  runId: z.string(),
  generatedAt: z.string(),
  scenario: z.object({ id: z.string(), title: z.string(), postmortem: z.string(), summary: z.string(), file: z.string().nullable() }),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  /**
   * Why this run did not finish (a `.partial` run directory, a history without run.ended); null for a
   * finished run. Optional so summaries written before it was added still validate.
   */
  unfinished: z.string().nullable().optional(),
  variants: z.array(variantSummarySchema).min(1),
});

export type Summary = z.infer<typeof summarySchema>;
export type VariantSummary = z.infer<typeof variantSummarySchema>;
