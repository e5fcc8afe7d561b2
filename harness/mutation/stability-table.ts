import { z } from 'zod';
import { median } from '../metrics/median.ts';
import { marginUsed } from '../report/drift.ts';
import { parseThreshold } from '../scenario/threshold.ts';

/**
 * The gate's false-alarm check: every variant replayed N times on the unmutated server. A run whose
 * variant did not meet its expectation (a remediated variant that did not hold, an incident that
 * did not reproduce, either one unknown) is a false alarm: the gate would have gone red, or
 * stayed silent, with nothing changed. Only the summary.json fields read here are validated.
 */

const variantSchema = z.object({
  variant: z.string(),
  expectation: z.unknown().optional(),
  verdict: z.object({ status: z.string(), met: z.boolean(), reasons: z.array(z.string()).default([]) }),
  slos: z.array(z.object({ id: z.string(), status: z.enum(['pass', 'fail', 'unknown']), threshold: z.string().optional(), value: z.number().nullable().optional() })),
  durationS: z.number().optional(),
});
export const stabilitySummarySchema = z.object({
  scenario: z.object({ id: z.string() }),
  /** Why the run did not finish (null or absent when it did). */
  unfinished: z.string().nullable().optional(),
  variants: z.array(variantSchema).min(1),
});
export type StabilitySummary = z.infer<typeof stabilitySummarySchema>;

export interface StabilityRun {
  scenario: string;
  variant: string;
  round: number;
  status: string;
  met: boolean;
  /** Why the verdict is what it is, from summary.json (the reasons of a false alarm are its evidence). */
  reasons: string[];
  seconds: number;
  /** Whether the variant must hold or must breach (from summary.json's expectation). */
  expected?: 'hold' | 'breach';
  /**
   * The SLO nearest to flipping the verdict in this run (undefined when none has room to measure):
   * for a variant that must hold, the passing SLO nearest its threshold; for an incident, the
   * expected breach nearest to passing.
   */
  closest?: ClosestCall;
}

/** How near an SLO came to its threshold: the share of its margin used (0: ideal, 1: at the threshold, above 1: past it). */
export interface ClosestCall {
  slo: string;
  threshold: string;
  value: number;
  used: number;
}

/**
 * The margin used, measured from the ideal value: 0 under an upper bound (`p(99)<1000`: 250 ms used
 * a quarter), 1 above a rate's lower bound (`rate>=0.95`: 0.99 used a fifth). Thresholds with no
 * room between ideal and limit (`count==0`, `value<=0`) cannot come near without failing: none.
 */
export function marginFromIdeal(threshold: string, value: number): number | null {
  const t = parseThreshold(threshold);
  if (!t.ok) return null;
  const { op, agg } = t.threshold;
  if (op === '<' || op === '<=') return marginUsed(threshold, 0, value);
  if ((op === '>' || op === '>=') && agg.kind === 'rate') return marginUsed(threshold, 1, value);
  return null;
}

type Slos = StabilitySummary['variants'][number]['slos'];
type Expected = { kind: 'hold' } | { kind: 'breach'; ids: string[] };

/** Nearer to flipping: a larger share used for a variant that holds, a smaller one for an expected breach. */
const nearer = (kind: Expected['kind'], a: number, b: number): boolean => (kind === 'hold' ? a > b : a < b);

function closestCall(slos: Slos, expected: Expected): ClosestCall | undefined {
  let best: ClosestCall | undefined;
  for (const x of slos) {
    if (x.threshold === undefined || x.value === undefined || x.value === null) continue;
    if (expected.kind === 'hold' ? x.status !== 'pass' : x.status !== 'fail' || !expected.ids.includes(x.id)) continue;
    const used = marginFromIdeal(x.threshold, x.value);
    if (used !== null && (best === undefined || nearer(expected.kind, used, best.used))) best = { slo: x.id, threshold: x.threshold, value: x.value, used };
  }
  return best;
}

function expectedOf(expectation: unknown): Expected | undefined {
  if (typeof expectation !== 'object' || expectation === null) return undefined;
  if ('hold' in expectation) return { kind: 'hold' };
  const breach = (expectation as { breach?: unknown }).breach;
  return Array.isArray(breach) ? { kind: 'breach', ids: breach.filter((x): x is string => typeof x === 'string') } : undefined;
}

export function stabilityRunsOf(summary: StabilitySummary, round: number): StabilityRun[] {
  return summary.variants.map((v) => {
    const expected = expectedOf(v.expectation);
    return {
      scenario: summary.scenario.id,
      variant: v.variant,
      round,
      // A run that did not finish never counts as met, whatever its SLOs said: it is unknown.
      status: summary.unfinished ? 'inconclusive' : v.verdict.status,
      met: v.verdict.met && !summary.unfinished,
      reasons: summary.unfinished ? [`the run did not finish: ${summary.unfinished}`, ...v.verdict.reasons.filter(() => !v.verdict.met)] : v.verdict.reasons,
      seconds: v.durationS ?? 0,
      ...(expected ? { expected: expected.kind, closest: closestCall(v.slos, expected) } : {}),
    };
  });
}

/** A replay that gave no verdict (exit 2, a crash): neither a false alarm nor a clean run. */
export interface StabilityError {
  scenario: string;
  round: number;
  error: string;
}

export interface StabilityRow {
  scenario: string;
  variant: string;
  runs: number;
  met: number;
  /** Round and reason of each run that did not meet the expectation. */
  falseAlarms: string[];
  /** How many runs had each status, e.g. { held: 10 }. */
  statuses: Record<string, number>;
  medianSeconds: number;
  /** The nearest call over all its runs (see StabilityRun), and the round it came in. */
  closest?: ClosestCall & { round: number };
}

function nearest(rs: readonly StabilityRun[]): { closest?: ClosestCall & { round: number } } {
  let best: (ClosestCall & { round: number }) | undefined;
  for (const r of rs) if (r.closest && r.expected && (best === undefined || nearer(r.expected, r.closest.used, best.used))) best = { ...r.closest, round: r.round };
  return best ? { closest: best } : {};
}

const num = (v: number): string => String(Number(v.toPrecision(3)));

export function stabilityRows(runs: readonly StabilityRun[]): StabilityRow[] {
  const byVariant = new Map<string, StabilityRun[]>();
  for (const r of runs) {
    const key = `${r.scenario}/${r.variant}`;
    byVariant.set(key, [...(byVariant.get(key) ?? []), r]);
  }
  return [...byVariant.values()].map((rs) => {
    const statuses: Record<string, number> = {};
    for (const r of rs) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    return {
      scenario: rs[0]!.scenario,
      variant: rs[0]!.variant,
      runs: rs.length,
      met: rs.filter((r) => r.met).length,
      falseAlarms: rs.filter((r) => !r.met).map((r) => `round ${r.round}: ${r.status}${r.reasons.length ? ` (${r.reasons.join('; ')})` : ''}`),
      statuses,
      medianSeconds: median(rs.map((r) => r.seconds)),
      ...nearest(rs),
    };
  });
}

const cell = (xs: readonly string[]): string => (xs.length ? xs.join('<br>') : '–').replace(/\|/g, '\\|');

/** `asked`: runs asked for per variant; a row with fewer says so rather than pass for a full series. */
export function formatStabilityTable(rows: readonly StabilityRow[], errors: readonly StabilityError[], asked: number): string {
  const noVerdict = errors.map((e) => `round ${e.round} ${e.scenario}: ${e.error}`).join('; ');
  if (rows.length === 0 && errors.length === 0) throw new Error('formatStabilityTable: no runs (no replay was run)');
  if (rows.length === 0) return `no replay gave a verdict: ${noVerdict}`;
  const lines = [
    '| scenario / variant | runs | met | verdicts | false alarms (round: verdict, reasons) | closest call: the SLO nearest to flipping the verdict (worst run) | median replay |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const runs = r.runs < asked ? `${r.runs} of ${asked}` : `${r.runs}`;
      const verdicts = Object.entries(r.statuses).map(([s, n]) => `${s} ${n}`).join(', ');
      const c = r.closest ? `${r.closest.slo}: ${num(r.closest.value)} against ${r.closest.threshold}, ${Math.round(r.closest.used * 100)}% of its margin (round ${r.closest.round})` : '–';
      return `| ${r.scenario} / ${r.variant} | ${runs} | ${r.met} | ${verdicts} | ${cell(r.falseAlarms)} | ${c.replace(/\|/g, '\\|')} | ${Math.round(r.medianSeconds)} s |`;
    }),
  ];
  const total = rows.reduce((n, r) => n + r.runs, 0);
  const alarms = rows.reduce((n, r) => n + r.runs - r.met, 0);
  const short = rows.filter((r) => r.runs < asked).length;
  lines.push(
    '',
    `false alarms: ${alarms} in ${total} runs of ${rows.length} variants` +
      (short ? ` (${short} variant(s) with fewer than ${asked} runs)` : '') +
      (errors.length ? `; ${errors.length} replay(s) gave no verdict: ${noVerdict}` : ''),
  );
  return lines.join('\n');
}

/** One replay of a series: every variant asked for of one scenario, in one round. */
export interface SeriesReplay {
  round: number;
  scenario: string;
}

/**
 * The replays of a series still to run, round after round in scenario order: those not in `done`
 * (the replays that finished, as the series records them). A series cut short resumes where it stopped.
 */
export function pendingReplays(rounds: number, scenarios: readonly string[], done: readonly SeriesReplay[]): SeriesReplay[] {
  const finished = new Set(done.map((d) => `${d.round}/${d.scenario}`));
  const out: SeriesReplay[] = [];
  for (let round = 1; round <= rounds; round++) for (const scenario of scenarios) if (!finished.has(`${round}/${scenario}`)) out.push({ round, scenario });
  return out;
}
