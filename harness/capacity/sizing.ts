import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { capacityModelSchema, type CapacityModel } from './capacity-schema.ts';
import { memoryLimitMb } from './plan.ts';
import type { ConnectionRole } from './profile-schema.ts';

// The committed model (capacity/model.json, written by `harness capacity --save-model`) and the one
// question scenarios ask it: how much memory does a pod need for N connections? The oom-cascade
// scenario takes its remediated memory limit from here, so the fix is sized by measurement.

export const COMMITTED_MODEL_FILE = path.resolve(import.meta.dirname, '../../capacity/model.json');

export const committedModelSchema = z.strictObject({
  $comment: z.string().optional(),
  generatedAt: z.string(),
  runId: z.string(),
  profile: z.string(),
  /** The plan's headroom when the model was saved; the default headroom of sizePodMemoryMb. */
  headroom: z.number().min(0).max(0.9),
  model: capacityModelSchema,
});
export type CommittedModel = z.infer<typeof committedModelSchema>;

export function readCommittedModel(file = COMMITTED_MODEL_FILE): CommittedModel {
  const parsed = committedModelSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: not a capacity model (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); re-run \`harness capacity --save-model\``);
  return parsed.data;
}

export class SizingError extends Error {
  readonly code = 'CAPACITY_SIZING';
}

/** The model's memory fit for a role: MiB at rest and MiB per connection, measured with the given per-connection memory. */
export function podMemoryFit(args: { role: ConnectionRole; retainedBytesPerConnection: number; model?: CapacityModel }): { baseMb: number; perConnectionMb: number } {
  const model = args.model ?? readCommittedModel().model;
  if (model.retainedBytesPerConnection !== args.retainedBytesPerConnection) {
    throw new SizingError(
      `the capacity model was measured with RETAINED_BYTES_PER_CONNECTION=${model.retainedBytesPerConnection}, not ${args.retainedBytesPerConnection}; set retainedBytesPerConnection in capacity/profile.json and run \`harness capacity --save-model\``,
    );
  }
  const m = model.memory.find((x) => x.role === args.role);
  if (!m) throw new SizingError(`the capacity model has no memory fit for role ${args.role}`);
  return { baseMb: m.baseMb, perConnectionMb: m.perConnectionKb / 1024 };
}

/**
 * The memory limit (MiB, a multiple of 8) a pod of `role` needs to hold `connections`, with the
 * model's headroom kept free. The model holds for the per-connection memory it was measured with:
 * asking for another RETAINED_BYTES_PER_CONNECTION is refused rather than extrapolated.
 */
export function sizePodMemoryMb(args: { role: ConnectionRole; connections: number; retainedBytesPerConnection: number; headroom?: number; model?: CapacityModel }): number {
  const committed = args.model ? undefined : readCommittedModel();
  const fit = podMemoryFit({ role: args.role, retainedBytesPerConnection: args.retainedBytesPerConnection, model: args.model ?? committed!.model });
  return memoryLimitMb({ baseMb: fit.baseMb, perConnectionKb: fit.perConnectionMb * 1024 }, args.connections, args.headroom ?? committed?.headroom ?? 0.2);
}
