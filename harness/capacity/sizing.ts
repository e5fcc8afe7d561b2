import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { capacityModelSchema, type CapacityModel } from './capacity-schema.ts';
import { memoryLimitMb } from './plan.ts';
import type { ConnectionRole } from './profile-schema.ts';

// The committed models (capacity/model*.json, written by `harness capacity --save-model`) and the
// one question scenarios ask them: how much memory does a pod need for N connections? A model holds
// for the per-connection memory (RETAINED_BYTES_PER_CONNECTION) it was measured with, so there is
// one file per value: model.json (1 MiB, the oom-cascade scenario's pods) and model-natural.json (0,
// the server's own cost). The oom-cascade scenario takes its remediated memory limit from here, so
// the fix is sized by measurement.

export const COMMITTED_MODEL_DIR = path.resolve(import.meta.dirname, '../../capacity');
/** The padded model (1 MiB per connection): the default of readCommittedModel. */
export const COMMITTED_MODEL_FILE = path.join(COMMITTED_MODEL_DIR, 'model.json');
/** The natural model (no padding: RETAINED_BYTES_PER_CONNECTION=0). */
export const NATURAL_MODEL_FILE = path.join(COMMITTED_MODEL_DIR, 'model-natural.json');

/** Where `--save-model` writes a model measured with this per-connection memory. */
export function committedModelFile(retainedBytesPerConnection: number, dir = COMMITTED_MODEL_DIR): string {
  if (retainedBytesPerConnection === 0) return path.join(dir, path.basename(NATURAL_MODEL_FILE));
  if (retainedBytesPerConnection === 1024 * 1024) return path.join(dir, path.basename(COMMITTED_MODEL_FILE));
  return path.join(dir, `model-retained-${retainedBytesPerConnection}.json`);
}

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

/**
 * The committed model measured with `retainedBytesPerConnection`, from every capacity/model*.json
 * (a model measured with another value is never used: that would extrapolate the padding).
 */
export function committedModelFor(retainedBytesPerConnection: number, dir = COMMITTED_MODEL_DIR): { file: string; committed: CommittedModel } {
  const files = readdirSync(dir)
    .filter((f) => /^model.*\.json$/.test(f))
    .map((f) => path.join(dir, f));
  const models = files.map((file) => ({ file, committed: readCommittedModel(file) }));
  const matching = models.filter((m) => m.committed.model.retainedBytesPerConnection === retainedBytesPerConnection);
  if (matching.length > 1) throw new SizingError(`${matching.map((m) => path.relative(process.cwd(), m.file)).join(' and ')} were both measured with RETAINED_BYTES_PER_CONNECTION=${retainedBytesPerConnection}: keep one`);
  const found = matching[0];
  if (!found) {
    const measured = models.map((m) => `${m.committed.model.retainedBytesPerConnection} (${path.basename(m.file)})`).join(', ') || 'none';
    throw new SizingError(
      `no capacity model was measured with RETAINED_BYTES_PER_CONNECTION=${retainedBytesPerConnection} (measured: ${measured}); set retainedBytesPerConnection in a capacity profile and run \`harness capacity --profile <it> --save-model\``,
    );
  }
  return found;
}

/** The model's memory fit for a role: MiB at rest and MiB per connection, measured with the given per-connection memory. */
export function podMemoryFit(args: { role: ConnectionRole; retainedBytesPerConnection: number; model?: CapacityModel }): { baseMb: number; perConnectionMb: number } {
  const model = args.model ?? committedModelFor(args.retainedBytesPerConnection).committed.model;
  if (model.retainedBytesPerConnection !== args.retainedBytesPerConnection) {
    throw new SizingError(
      `the capacity model was measured with RETAINED_BYTES_PER_CONNECTION=${model.retainedBytesPerConnection}, not ${args.retainedBytesPerConnection}; set retainedBytesPerConnection in a capacity profile and run \`harness capacity --profile <it> --save-model\``,
    );
  }
  const m = model.memory.find((x) => x.role === args.role);
  if (!m) throw new SizingError(`the capacity model has no memory fit for role ${args.role}`);
  return { baseMb: m.baseMb, perConnectionMb: m.perConnectionKb / 1024 };
}

/**
 * The memory limit (MiB, a multiple of 8) a pod of `role` needs to hold `connections`, with the
 * model's headroom kept free, from the committed model measured with `retainedBytesPerConnection`
 * (or the model given). Asking a model for another RETAINED_BYTES_PER_CONNECTION is refused rather
 * than extrapolated.
 */
export function sizePodMemoryMb(args: { role: ConnectionRole; connections: number; retainedBytesPerConnection: number; headroom?: number; model?: CapacityModel }): number {
  const committed = args.model ? undefined : committedModelFor(args.retainedBytesPerConnection).committed;
  const fit = podMemoryFit({ role: args.role, retainedBytesPerConnection: args.retainedBytesPerConnection, model: args.model ?? committed!.model });
  return memoryLimitMb({ baseMb: fit.baseMb, perConnectionKb: fit.perConnectionMb * 1024 }, args.connections, args.headroom ?? committed?.headroom ?? 0.2);
}
