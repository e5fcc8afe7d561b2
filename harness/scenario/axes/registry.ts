import { z } from 'zod';
import { kindError } from '../kind-error.ts';
import type { AxisDefinition } from './axis-base.ts';
import { clientsAxis, clientsAxisSchema } from './clients-axis.ts';
import { fallbackEagernessAxis, fallbackEagernessAxisSchema } from './fallback-eagerness-axis.ts';
import { memoryAxis, memoryAxisSchema } from './memory-axis.ts';
import { publishRateAxis, publishRateAxisSchema } from './publish-rate-axis.ts';
import { reconnectAxis, reconnectAxisSchema } from './reconnect-axis.ts';
import { weightStepAxis, weightStepAxisSchema } from './weight-step-axis.ts';

// The stress-axis registry: one entry per kind, each a typed transformation of a resolved variant
// (harness margin pushes a variant along one). Adding a kind is one file and one line here.

export const AXIS_KINDS = ['clients', 'reconnect', 'publish-rate', 'memory', 'weight-step', 'fallback-eagerness'] as const;

export const axisSchema = z.discriminatedUnion(
  'kind',
  [clientsAxisSchema, reconnectAxisSchema, publishRateAxisSchema, memoryAxisSchema, weightStepAxisSchema, fallbackEagernessAxisSchema],
  kindError([...AXIS_KINDS]),
);
export type Axis = z.output<typeof axisSchema>;
export type AxisKind = Axis['kind'];

type Registry = { [K in AxisKind]: AxisDefinition<Extract<Axis, { kind: K }>> };

export const axisRegistry: Registry = {
  clients: clientsAxis,
  reconnect: reconnectAxis,
  'publish-rate': publishRateAxis,
  memory: memoryAxis,
  'weight-step': weightStepAxis,
  'fallback-eagerness': fallbackEagernessAxis,
};

/** The definition of an axis's kind, typed for that axis. */
export function axisDefinition<A extends Axis>(axis: A): AxisDefinition<A> {
  return axisRegistry[axis.kind] as unknown as AxisDefinition<A>;
}
