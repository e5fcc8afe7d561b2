import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { bodySchema, type ResolvedScenario } from '../scenario/scenario-schema.ts';
import { expectationSchema, metadataShape } from '../scenario/schema.ts';

/** The resolved plan a run executed, saved beside its history so the run can be re-judged exactly. */
export const SCENARIO_FILE = 'scenario.json';

const savedSchema = z.object({
  ...metadataShape,
  variant: z.string(),
  variantDescription: z.string().optional(),
  expectation: expectationSchema,
  file: z.string().optional(),
});

export async function saveScenario(runDir: string, scenario: ResolvedScenario): Promise<void> {
  await writeFile(join(runDir, SCENARIO_FILE), JSON.stringify(scenario, null, 2));
}

/**
 * Fields older harness versions wrote into every saved plan as defaults, which the schema now refuses
 * because nothing applies them: dropped on read, so their runs can still be re-judged.
 */
function withoutLegacyDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  const topology = raw.topology as { redis?: Record<string, unknown> } | undefined;
  if (topology?.redis && 'memoryMb' in topology.redis) {
    const { memoryMb: _unapplied, ...redis } = topology.redis;
    return { ...raw, topology: { ...topology, redis } };
  }
  return raw;
}

/** Reads a saved plan back, validating it as strictly as a scenario file (it is a file on disk). */
export async function readSavedScenario(runDir: string): Promise<ResolvedScenario> {
  const raw = withoutLegacyDefaults(JSON.parse(await readFile(join(runDir, SCENARIO_FILE), 'utf8')) as Record<string, unknown>);
  const meta = savedSchema.parse(raw);
  const body = bodySchema.parse(Object.fromEntries(Object.keys(bodySchema.shape).map((k) => [k, raw[k]])));
  return { ...meta, ...body, variantDescription: meta.variantDescription, file: meta.file };
}
