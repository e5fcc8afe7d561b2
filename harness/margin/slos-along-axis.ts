import type { Comparator } from '../scenario/conditions.ts';
import { parseThreshold } from '../scenario/threshold.ts';
import type { SloPoint } from './point-run.ts';
import type { SearchPoint, SearchResult } from './search.ts';
import { median } from '../metrics/median.ts';

// What the runs of a search say about each SLO: its value at each factor (the median of the point's
// runs that measured it), and which SLOs decided the boundary and by how much. Pure.

export interface SloAlongAxis {
  id: string;
  title: string;
  threshold: string;
  unit: string;
  /** The threshold's number, drawn as a line on the chart; null if it does not parse. */
  limit: number | null;
  points: { factor: number; value: number | null; statuses: SloPoint['status'][] }[];
}

const medianOrNull = (xs: number[]): number | null => (xs.length === 0 ? null : median(xs));

const sloRuns = (p: SearchPoint, id: string) => p.runs.flatMap((r) => r.slos.filter((s) => s.id === id));

/** Every SLO any run judged, with its value at each decided or undecided point, points by factor. */
export function slosAlongAxis(points: readonly SearchPoint[]): SloAlongAxis[] {
  const byFactor = [...points].sort((a, b) => a.factor - b.factor);
  const first = new Map<string, SloPoint>();
  for (const p of byFactor) for (const r of p.runs) for (const s of r.slos) if (!first.has(s.id)) first.set(s.id, s);
  return [...first.values()].map((s) => {
    const t = parseThreshold(s.threshold);
    return {
      id: s.id,
      title: s.title,
      threshold: s.threshold,
      unit: s.unit,
      limit: t.ok ? t.threshold.value : null,
      points: byFactor.map((p) => {
        const seen = sloRuns(p, s.id);
        return { factor: p.factor, value: medianOrNull(seen.flatMap((x) => (x.value === null ? [] : [x.value]))), statuses: seen.map((x) => x.status) };
      }),
    };
  });
}

export interface DecisiveSlo {
  id: string;
  title: string;
  threshold: string;
  /** The median value at the decisive point's runs. */
  value: number | null;
  limit: number | null;
  /** How far past the limit, on its failing side (negative: still inside it); null without a value or limit. */
  beyondBy: number | null;
  /** beyondBy / |limit|; null when the limit is 0 (e.g. count==0: beyondBy is the count). */
  relative: number | null;
  /** In how many of the point's runs it failed, of how many judged it. */
  failed: number;
  judged: number;
}

export interface Decisive {
  /** The factor whose runs decided the boundary's far side (the first factor not met). */
  factor: number;
  /** hold: the SLOs that failed there; breach: the expected breaches that no longer failed there. */
  kind: 'broke' | 'stopped-breaching';
  slos: DecisiveSlo[];
}

/** Signed distance past a limit: positive on the side the threshold forbids. */
export function beyond(value: number, op: Comparator, limit: number): number {
  if (op === '<' || op === '<=') return value - limit;
  if (op === '>' || op === '>=') return limit - value;
  return op === '==' ? Math.abs(value - limit) : -Math.abs(value - limit);
}

function decisiveSlo(point: SearchPoint, id: string): DecisiveSlo {
  const seen = sloRuns(point, id);
  const s = seen[0]!;
  const t = parseThreshold(s.threshold);
  const limit = t.ok ? t.threshold.value : null;
  const value = medianOrNull(seen.flatMap((x) => (x.value === null ? [] : [x.value])));
  const beyondBy = value === null || !t.ok ? null : beyond(value, t.threshold.op, t.threshold.value);
  return {
    id,
    title: s.title,
    threshold: s.threshold,
    value,
    limit,
    beyondBy,
    relative: beyondBy === null || !limit ? null : beyondBy / Math.abs(limit),
    failed: seen.filter((x) => x.status === 'fail').length,
    judged: seen.length,
  };
}

/**
 * Which SLOs decided the boundary: at the first factor not met, for a variant that holds, the SLOs
 * that failed in most of the runs that were red there, the largest relative excess first (the first
 * to break); for an incident, the SLOs it must breach that did not fail there (the first breach to
 * go away). Null when no factor was not met.
 */
export function decisiveSlos(result: Pick<SearchResult, 'points' | 'unmet' | 'metSide'>, mustBreach: readonly string[] = []): Decisive | null {
  if (result.unmet === null) return null;
  const point = result.points.find((p) => p.factor === result.unmet && p.verdict === 'unmet');
  if (!point) return null;
  const red = { ...point, runs: point.runs.filter((r) => r.result === 'unmet') };
  const ids = [...new Set(red.runs.flatMap((r) => r.slos.map((s) => s.id)))];
  const hold = result.metSide === 'low';
  const slos = ids
    .map((id) => decisiveSlo(red, id))
    .filter((d) => (hold ? d.failed * 2 > d.judged : mustBreach.includes(d.id) && d.failed * 2 <= d.judged))
    .sort((a, b) => (b.relative ?? b.beyondBy ?? 0) - (a.relative ?? a.beyondBy ?? 0));
  return { factor: point.factor, kind: hold ? 'broke' : 'stopped-breaching', slos };
}
