import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseThreshold } from '../scenario/threshold.ts';
import { summarySchema } from './summary-schema.ts';
import { parseTrend, trendEntries, TREND_FILE, type TrendEntry } from './trend.ts';

// `harness run --compare-to <run-dir|baseline.json>`: an SLO that still passes but has used up more
// than a stated share of its margin to the threshold since the baseline is a warning (a p99 from
// 30 ms to 900 ms under 1,500 ms has used 60% of it). Advisory: the exit code changes only with
// --fail-on-drift.

export const DEFAULT_DRIFT_SHARE = 0.25;

/** Bad --compare-to / --drift-share input: named with the fix, before anything starts (exit 2). */
export class BaselineError extends Error {
  readonly code = 'BAD_BASELINE';
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

export interface Drift {
  scenario: string;
  variant: string;
  slo: string;
  threshold: string;
  baseline: number;
  value: number;
  /** Share of the baseline's margin to the threshold used up: 0.6 = 60% closer; above 1 = crossed it. */
  share: number;
}

/** The baseline's latest entry per scenario/variant. */
export type Baseline = Map<string, TrendEntry>;
const key = (scenario: string, variant: string) => `${scenario}/${variant}`;

function summariesUnder(dir: string, depth: number): string[] {
  const own = join(dir, 'summary.json');
  if (existsSync(own)) return [own];
  if (depth === 0) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.endsWith('.partial'))
    .flatMap((d) => summariesUnder(join(dir, d.name), depth - 1));
}

function entriesOfFile(file: string): TrendEntry[] {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.ndjson')) return parseTrend(text).entries;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BaselineError(`--compare-to ${file}: not JSON (${(err as Error).message}): give a run directory, its summary.json, or a ${TREND_FILE}`);
  }
  const summary = summarySchema.safeParse(json);
  if (!summary.success) throw new BaselineError(`--compare-to ${file}: not a summary.json of this harness (${summary.error.issues[0]?.path.join('.')}: ${summary.error.issues[0]?.message}): give a run directory, its summary.json, or a ${TREND_FILE}`);
  return trendEntries(summary.data);
}

/**
 * A baseline from a run directory, an output folder of runs (every summary.json up to three levels
 * down), a summary.json, or a trend.ndjson. Read before anything starts, so a bad path fails first.
 */
export function loadBaseline(path: string): Baseline {
  if (!existsSync(path)) throw new BaselineError(`--compare-to ${path}: no such file or directory: give a run directory, its summary.json, or a ${TREND_FILE}`);
  const entries = statSync(path).isDirectory() ? summariesUnder(path, 3).flatMap(entriesOfFile) : entriesOfFile(path);
  if (entries.length === 0) throw new BaselineError(`--compare-to ${path}: found no summary.json (looked three levels down): give a run directory, its summary.json, or a ${TREND_FILE}`);
  const baseline: Baseline = new Map();
  for (const e of [...entries].sort((a, b) => a.at.localeCompare(b.at))) baseline.set(key(e.scenario, e.variant), e);
  return baseline;
}

/** How far `value` moved from `base` towards the threshold, as a share of the margin `base` had; null when not meaningful. */
export function marginUsed(threshold: string, base: number, value: number): number | null {
  const t = parseThreshold(threshold);
  if (!t.ok) return null;
  const { op, value: limit } = t.threshold;
  // "Towards" is up for an upper bound (p(99)<1500) and down for a lower one (rate>=0.99).
  const dir = op === '<' || op === '<=' ? 1 : op === '>' || op === '>=' ? -1 : 0;
  if (dir === 0) return null;
  const margin = dir * (limit - base);
  if (!(margin > 0)) return null; // the baseline was at or past its threshold: no margin to use up
  return (dir * (value - base)) / margin;
}

export function findDrift(baseline: Baseline, current: readonly TrendEntry[], share = DEFAULT_DRIFT_SHARE): Drift[] {
  const out: Drift[] = [];
  for (const e of current) {
    const base = baseline.get(key(e.scenario, e.variant));
    if (!base) continue;
    for (const s of e.slos) {
      const b = base.slos.find((x) => x.id === s.id);
      if (!b || b.value === null || s.value === null || b.status !== 'pass') continue;
      const used = marginUsed(s.threshold, b.value, s.value);
      if (used !== null && used > share) out.push({ scenario: e.scenario, variant: e.variant, slo: s.id, threshold: s.threshold, baseline: b.value, value: s.value, share: used });
    }
  }
  return out;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

export function formatDrift(d: Drift): string {
  const crossed = d.share >= 1 ? ', past its threshold' : '';
  return `${d.scenario}/${d.variant} ${d.slo}: ${fmt(d.baseline)} → ${fmt(d.value)} against ${d.threshold}, ${Math.round(d.share * 100)}% of its margin used since the baseline${crossed}`;
}

/** --drift-share: a share in (0, 1]. */
export function parseDriftShare(text: string | undefined): number {
  if (text === undefined) return DEFAULT_DRIFT_SHARE;
  const n = Number(text);
  if (!(n > 0 && n <= 1)) throw new BaselineError(`--drift-share ${text}: expected a share of the margin between 0 and 1 (e.g. 0.25 for 25%)`);
  return n;
}
