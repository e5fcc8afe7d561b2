import { z } from 'zod';
import { HISTORY_EVENT_TYPES, idSchema } from './vocabulary.ts';

// Conditions are data, so a scenario can wait on them (wait.until, roll-out gates) and a checker can
// evaluate them over the history. The runtime evaluates them live; the verdict layer after the fact.

export const comparatorSchema = z.enum(['<', '<=', '>', '>=', '==', '!=']);
export type Comparator = z.infer<typeof comparatorSchema>;

/** Label filter over metric series: `{ deployment: 'new', transport: 'ws' }`. */
export const labelsSchema = z.record(z.string(), z.string());
export type Labels = z.infer<typeof labelsSchema>;

/** The first history event of a type whose fields equal `where` (dotted paths allowed). */
export const eventMatcherSchema = z
  .strictObject({
    type: z.enum(HISTORY_EVENT_TYPES),
    where: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  // The runtime writes k6 samples as per-second k6.aggregate events: a matcher on single samples would never match.
  .refine((m) => m.type !== 'k6.point', {
    path: ['type'],
    message: 'k6 samples are recorded per second as k6.aggregate events, never as k6.point: use a metric condition over k6.<metric> instead',
  });
export type EventMatcher = z.infer<typeof eventMatcherSchema>;

export const conditionSchema = z.discriminatedUnion('kind', [
  /** A named alert has fired. */
  z.strictObject({ kind: z.literal('alert.fired'), alert: idSchema }),
  /** A per-second metric value compares true for `forS` consecutive seconds. */
  z.strictObject({
    kind: z.literal('metric'),
    metric: z.string().min(1),
    where: labelsSchema.optional(),
    op: comparatorSchema,
    value: z.number(),
    forS: z.number().nonnegative().default(0),
  }),
  /** At least `count` pods of a deployment are running and ready. */
  z.strictObject({ kind: z.literal('pods.ready'), deployment: idSchema, count: z.int().nonnegative() }),
  /** A history event matching the matcher has been appended. */
  z.strictObject({ kind: z.literal('event'), match: eventMatcherSchema }),
], {
  error: (iss) => (iss.code === 'invalid_union' ? 'expected kind to be one of alert.fired, metric, pods.ready, event' : undefined),
});
export type Condition = z.infer<typeof conditionSchema>;
