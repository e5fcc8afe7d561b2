import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { stabilityRunsOf, stabilitySummarySchema, type StabilityError, type StabilityRun } from './stability-table.ts';

// A false-alarm series on disk (scripts/bench-stability.ts writes it):
//   DIR/about.json         what the series asked for, and the commit of each start and resume
//   DIR/round-NN/<scenario>/<run-id>/summary.json   one run per variant per round
//   DIR/done.ndjson        the replays (round, scenario) that finished
//   DIR/errors.ndjson      the replays that gave no verdict
//   DIR/interrupted/       replays cut short, kept aside and never counted

export const ROUND = /^round-(\d+)$/;
export const roundDirName = (round: number): string => `round-${String(round).padStart(2, '0')}`;

export const aboutSchema = z.object({
  commit: z.string(),
  startedAt: z.string(),
  runs: z.number().int().positive(),
  scenarios: z.array(z.string()).min(1),
  variants: z.string(),
  resumed: z.array(z.object({ at: z.string(), commit: z.string() })).default([]),
});
export type About = z.infer<typeof aboutSchema>;

export const readLines = <T>(file: string): T[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T) : [];

/** Every run kept under `dir` and every replay that gave no verdict. */
export function collectSeries(dir: string): { runs: StabilityRun[]; errors: StabilityError[] } {
  const runs: StabilityRun[] = [];
  for (const name of subdirs(dir)) {
    const m = ROUND.exec(name);
    if (!m) continue;
    for (const scenario of subdirs(join(dir, name))) {
      for (const run of subdirs(join(dir, name, scenario))) {
        const file = join(dir, name, scenario, run, 'summary.json');
        if (existsSync(file)) runs.push(...stabilityRunsOf(stabilitySummarySchema.parse(JSON.parse(readFileSync(file, 'utf8'))), Number(m[1])));
      }
    }
  }
  return { runs, errors: readLines<StabilityError>(join(dir, 'errors.ndjson')) };
}

function subdirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
