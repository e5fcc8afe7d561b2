import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Summary } from './summary-schema.ts';

// trend.ndjson beside the run index: one line per judged variant with its SLO values, appended by every
// `harness run`, so a CI that caches the output folder (or just this file) sees a p99 creeping towards
// its threshold long before it breaks. Small on purpose: values, statuses and thresholds, nothing else.

export const TREND_FILE = 'trend.ndjson';
/** How many past runs a sparkline shows. */
export const TREND_POINTS = 12;

export const trendEntrySchema = z.object({
  at: z.string(),
  runId: z.string(),
  scenario: z.string(),
  variant: z.string(),
  status: z.string(),
  met: z.boolean(),
  slos: z.array(z.object({ id: z.string(), value: z.number().nullable(), status: z.enum(['pass', 'fail', 'unknown']), threshold: z.string(), unit: z.string() })),
});
export type TrendEntry = z.infer<typeof trendEntrySchema>;

type Judged = Pick<Summary, 'runId' | 'scenario' | 'variants'>;

export function trendEntries(report: Judged): TrendEntry[] {
  return report.variants.map((v) => ({
    at: v.startedAt ?? new Date().toISOString(),
    runId: report.runId,
    scenario: report.scenario.id,
    variant: v.variant,
    status: v.verdict.status,
    met: v.verdict.met,
    slos: v.slos.map((s) => ({ id: s.id, value: s.value, status: s.status, threshold: s.threshold, unit: s.unit })),
  }));
}

export async function appendTrend(outRoot: string, report: Judged): Promise<string> {
  const file = join(outRoot, TREND_FILE);
  await mkdir(outRoot, { recursive: true });
  await appendFile(file, trendEntries(report).map((e) => `${JSON.stringify(e)}\n`).join(''));
  return file;
}

/**
 * Every entry of a trend file in file order, one per run id and variant (a later line for the same
 * run replaces the earlier one in its place). Lines that do not parse (a write cut short, a hand edit) are counted, not fatal: the
 * trend is advisory and the rest of it still reads.
 */
export function parseTrend(text: string): { entries: TrendEntry[]; skipped: number } {
  const byKey = new Map<string, TrendEntry>();
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const e = trendEntrySchema.safeParse(parsed);
    if (!e.success) {
      skipped++;
      continue;
    }
    const key = `${e.data.runId}\u0000${e.data.variant}`;
    byKey.set(key, e.data);
  }
  return { entries: [...byKey.values()], skipped };
}

export async function readTrend(outRoot: string): Promise<{ entries: TrendEntry[]; skipped: number }> {
  try {
    return parseTrend(await readFile(join(outRoot, TREND_FILE), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skipped: 0 };
    throw err;
  }
}

/** One SLO of one scenario variant over the last runs, oldest first. */
export interface TrendSeries {
  scenario: string;
  variant: string;
  slo: string;
  threshold: string;
  unit: string;
  points: { runId: string; value: number | null; status: 'pass' | 'fail' | 'unknown' }[];
}

export function trendSeries(entries: readonly TrendEntry[], keep: (e: { scenario: string; variant: string }) => boolean = () => true, points = TREND_POINTS): TrendSeries[] {
  const out = new Map<string, TrendSeries>();
  for (const e of entries) {
    if (!keep(e)) continue;
    for (const s of e.slos) {
      const key = `${e.scenario}\u0000${e.variant}\u0000${s.id}`;
      const series = out.get(key) ?? { scenario: e.scenario, variant: e.variant, slo: s.id, threshold: s.threshold, unit: s.unit, points: [] };
      series.threshold = s.threshold;
      series.points.push({ runId: e.runId, value: s.value, status: s.status });
      out.set(key, series);
    }
  }
  return [...out.values()].map((s) => ({ ...s, points: s.points.slice(-points) }));
}

const BARS = '▁▂▃▄▅▆▇█';

/**
 * Sparkline characters for values against a limit: the scale runs from 0 (or the lowest value) to the
 * limit (or the highest value), so a full bar is "at the threshold" and a creep shows as rising bars.
 * No value is "·".
 */
export function sparkline(values: readonly (number | null)[], limit: number | null): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return values.map(() => '·').join('');
  const lo = Math.min(0, ...known);
  const hi = Math.max(...known, limit ?? -Infinity);
  const span = hi - lo || 1;
  return values.map((v) => (v === null ? '·' : BARS[Math.min(BARS.length - 1, Math.max(0, Math.round(((v - lo) / span) * (BARS.length - 1))))])).join('');
}
