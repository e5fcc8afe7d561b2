import { z } from 'zod';
import { conditionSchema } from './conditions.ts';
import { idSchema } from './vocabulary.ts';

// The action registry: one entry per action type, keyed by type (Toxiproxy's toxics, vitest's
// reporters). The union of valid `type`s in a scenario and each action's params type are derived from
// it, so adding an action is one entry here plus its runtime implementation in harness/faults.

/**
 * What an action's `target` names:
 * - `edge`: the literal `edge`;
 * - `deployment`: a deployment name;
 * - `pods`: `name/3` (one pod, 0-based) or `name` (every pod of the deployment);
 * - `link`: a Toxiproxy link name;
 * - `any`: free text, not cross-checked (wait.until).
 */
export type TargetKind = 'edge' | 'deployment' | 'pods' | 'link' | 'any';

const seconds = z.number().nonnegative();
const toxicKinds = z.enum(['latency', 'bandwidth', 'timeout', 'reset_peer', 'slicer', 'limit_data']);

/** A verification step between pods (or deployments) during a roll-out. */
export const gateSchema = z.strictObject({
  condition: conditionSchema,
  /** How long to wait for the condition before declaring the gate failed. */
  timeoutS: z.number().positive(),
  /** A failed gate halts the roll-out, or halts and rolls back what was already done. */
  onFail: z.enum(['halt', 'rollback']).default('halt'),
});

export const actionRegistry = {
  'weights.shift': {
    target: 'edge',
    summary: 'set edge weights (where new connections go)',
    params: z.strictObject({
      weights: z.record(idSchema, z.number().int().min(0).max(256)),
      /** Checked before shifting: a failed gate leaves the weights as they are (a guarded roll-out). */
      gate: gateSchema.optional(),
    }),
  },
  'pod.kill': {
    target: 'pods',
    summary: 'kill a pod',
    params: z.strictObject({ signal: z.enum(['SIGKILL', 'SIGTERM']).default('SIGKILL') }),
  },
  'pod.oom': {
    target: 'pods',
    summary: 'let pod memory grow until the kernel OOM-kills it',
    params: z.strictObject({
      /** Extra memory allocated per second inside the pod. */
      growMbPerS: z.number().positive(),
      /** Stop growing at this many MB (the limit decides whether that is an OOM kill). */
      maxMb: z.number().positive().optional(),
    }),
  },
  'pod.restart': { target: 'pods', summary: 'restart a pod', params: z.strictObject({}) },
  'pod.pause': {
    target: 'pods',
    summary: 'freeze a pod (SIGSTOP) for a while',
    params: z.strictObject({ durationS: z.number().positive() }),
  },
  'toxic.add': {
    target: 'link',
    summary: 'add a Toxiproxy toxic to a link',
    params: z.strictObject({
      name: idSchema,
      kind: toxicKinds,
      stream: z.enum(['upstream', 'downstream']).default('downstream'),
      toxicity: z.number().min(0).max(1).default(1),
      attributes: z.record(z.string(), z.number()).default({}),
    }),
  },
  'toxic.remove': { target: 'link', summary: 'remove a toxic', params: z.strictObject({ name: idSchema }) },
  'proxy.disable': {
    target: 'link',
    summary: 'cut a link (Toxiproxy proxy disabled)',
    params: z.strictObject({ durationS: z.number().positive().optional() }),
  },
  'proxy.enable': { target: 'link', summary: 're-enable a link', params: z.strictObject({}) },
  'deploy.rollout': {
    target: 'deployment',
    summary: 'deploy an app version and/or config, pod by pod',
    params: z
      .object({
        appVersion: z.string().min(1).optional(),
        config: z.record(z.string(), z.unknown()).optional(),
        configVersion: z.string().min(1).optional(),
        /** Pods restarted one at a time with this pause between them; 0 = all at once. */
        podIntervalS: seconds.default(0),
        gate: gateSchema.optional(),
        /** Honour a deploy lock left by an interrupted deploy (the 2019-12 safety check). */
        respectLock: z.boolean().default(false),
      })
      .refine((p) => p.appVersion !== undefined || p.config !== undefined || p.configVersion !== undefined, {
        message: 'expected at least one of appVersion, config, configVersion',
      }),
  },
  'deploy.rollback': {
    target: 'deployment',
    summary: 'roll back the app only, or app and config together',
    params: z.strictObject({
      scope: z.enum(['app', 'app+config']),
      podIntervalS: seconds.default(0),
      respectLock: z.boolean().default(false),
      /** A rollback is a roll-out too: the deploy script's check after each batch of pods. */
      gate: gateSchema.optional(),
    }),
  },
  'deploy.unlock': { target: 'deployment', summary: 'clear a stale deploy lock', params: z.strictObject({}) },
  'pod.env': {
    target: 'pods',
    summary: "change a pod's environment (restarts it)",
    params: z.strictObject({
      set: z.record(z.string(), z.string()).default({}),
      unset: z.array(z.string()).default([]),
    }),
  },
  'deployment.scale': {
    target: 'deployment',
    summary: 'change the number of pods',
    params: z.strictObject({ replicas: z.int().min(0) }),
  },
  'wait.until': {
    target: 'any',
    summary: 'hold the timeline until a condition holds',
    params: z.strictObject({ condition: conditionSchema, timeoutS: z.number().positive() }),
  },
} as const satisfies Record<string, { target: TargetKind; summary: string; params: z.ZodType }>;

export type ActionRegistry = typeof actionRegistry;
export type ActionType = keyof ActionRegistry;
export const ACTION_TYPES = Object.keys(actionRegistry) as ActionType[];

/** Params after defaults are applied (what the runtime receives). */
export type ActionParams<T extends ActionType> = z.output<ActionRegistry[T]['params']>;
/** Params as a scenario author writes them (defaults optional). */
export type ActionParamsInput<T extends ActionType> = z.input<ActionRegistry[T]['params']>;

/** The shared envelope: at replay-second `at`, apply `type` to `target` with `params`. */
export type TimelineAction = {
  [T in ActionType]: { type: T; target: string; at: number; params: ActionParams<T>; label?: string | undefined };
}[ActionType];
export type TimelineActionInput = {
  [T in ActionType]: {
    type: T;
    target: string;
    at: number;
    params?: ActionParamsInput<T>;
    /** Short text drawn on the report's charts; defaults to `type target`. */
    label?: string;
  };
}[ActionType];

function envelope<T extends ActionType>(type: T) {
  const params = actionRegistry[type].params as unknown as z.ZodType<ActionParams<T>, ActionParamsInput<T>>;
  return z.strictObject({
    type: z.literal(type),
    target: z.string().min(1),
    at: z.number().nonnegative(),
    // Omitted params mean "all defaults", which only works when the schema accepts {}.
    params: z.preprocess((v) => (v === undefined ? {} : v), params),
    label: z.string().max(60).optional(),
  });
}

const envelopes = ACTION_TYPES.map((t) => envelope(t));
export const timelineActionSchema = z.discriminatedUnion(
  'type',
  envelopes as unknown as [ReturnType<typeof envelope>, ...ReturnType<typeof envelope>[]],
  { error: (iss) => (iss.code === 'invalid_union' ? `expected type to be one of ${ACTION_TYPES.join(', ')}` : undefined) },
) as unknown as z.ZodType<TimelineAction, TimelineActionInput>;
