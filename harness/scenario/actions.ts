import { z } from 'zod';
import { ACTION_TYPES, actionRegistry, type ActionParams, type ActionParamsInput, type ActionType } from '../faults/registry.ts';

// The timeline's action envelope (Toxiproxy's `{name, type, stream, toxicity, attributes}`): the
// union of valid `type`s and each action's params come from the action registry in harness/faults,
// where each action is one file with its schema, gates, apply and heal.

export { actionRegistry, ACTION_TYPES, type ActionParams, type ActionParamsInput, type ActionType };
export type { TargetKind } from '../faults/fault.ts';

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
