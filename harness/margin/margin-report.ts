import type { Axis } from '../scenario/axes/registry.ts';
import { axisDefinition } from '../scenario/axes/registry.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { CapacityCrossCheck } from './capacity-cross-check.ts';
import type { RunResult } from './point-run.ts';
import type { PointVerdict, SearchResult, SearchStop } from './search.ts';
import { decisiveSlos, slosAlongAxis, type Decisive, type SloAlongAxis } from './slos-along-axis.ts';

// The margin report's data (margin.json), from which the markdown and HTML are rendered. It names
// the margin, whether the search finished, the SLOs that decided it, each SLO's value along the axis,
// and every run it made (each a normal run directory with its own reports).

export const MARGIN_SCHEMA_VERSION = 1;

export interface MarginReport {
  schemaVersion: typeof MARGIN_SCHEMA_VERSION;
  generatedAt: string;
  command: string;
  scenario: { id: string; title: string; file: string | undefined };
  variant: string;
  /** hold: the largest factor at which it still holds; breach: the smallest at which the incident still reproduces. */
  expectation: 'hold' | 'breach';
  mustBreach: string[];
  axis: Axis & { description: string };
  repeats: number;
  budgetS: number;
  noise: string;
  search: { stop: SearchStop; complete: boolean; met: number | null; unmet: number | null; elapsedS: number; runs: number };
  /** The margin when the search pinned it (or showed it lies outside the range: the range end); null while open. */
  margin: number | null;
  statement: string;
  decisive: Decisive | null;
  slos: SloAlongAxis[];
  points: { factor: number; verdict: PointVerdict; runs: { runDir: string | undefined; status: string; result: RunResult; error: string | undefined; wallS: number }[] }[];
  capacity: CapacityCrossCheck | null;
}

export const noiseText = (repeats: number) =>
  `each factor is run ${repeats === 1 ? 'once' : `until ${Math.floor(repeats / 2) + 1} of its ${repeats} repeats agree`} (a point is red when most of its repeats are red); ` +
  `an inconclusive run or one that could not run counts for neither side and the point is run again, up to ${2 * repeats} runs, within the budget; ` +
  'a point still without a majority stays undecided and the interval stays open';

const f = (x: number) => `×${x}`;

const STOP_TEXT: Record<SearchStop, string> = {
  resolved: 'the boundary is pinned to the axis resolution',
  'met-across-range': 'met at both ends of the range',
  'unmet-across-range': 'not met even at the end of the range where it should be',
  budget: 'the budget ran out',
  undecided: 'a point had no majority',
};

export function marginStatement(r: Pick<SearchResult, 'stop' | 'met' | 'unmet' | 'complete'>, expectation: 'hold' | 'breach', range: { min: number; max: number }): string {
  const hold = expectation === 'hold';
  if (r.stop === 'resolved') {
    return hold
      ? `holds up to ${f(r.met!)} and breaks at ${f(r.unmet!)}: margin ${f(r.met!)}`
      : `still reproduces at ${f(r.met!)}, not at ${f(r.unmet!)}: the incident would have happened at ${f(r.met!)}`;
  }
  if (r.stop === 'met-across-range') return hold ? `holds across the whole range: margin ≥ ${f(range.max)}` : `reproduces across the whole range, down to ${f(range.min)}`;
  if (r.stop === 'unmet-across-range') return hold ? `does not hold even at ${f(range.min)}: margin < ${f(range.min)}` : `does not reproduce even at ${f(range.max)}`;
  const lo = r.met === null ? (hold ? 'not known to hold anywhere' : 'not known to reproduce anywhere') : `${hold ? 'holds' : 'reproduces'} at ${f(r.met)}`;
  const hi = r.unmet === null ? `no factor ${hold ? 'broken' : 'without it'} yet` : `${hold ? 'breaks' : 'does not reproduce'} at ${f(r.unmet)}`;
  return `PARTIAL (${STOP_TEXT[r.stop]}): ${lo}, ${hi}; the interval is still open`;
}

export function buildMarginReport(args: {
  scenario: ResolvedScenario;
  axis: Axis;
  result: SearchResult;
  repeats: number;
  budgetS: number;
  command: string;
  capacity: CapacityCrossCheck | null;
  now?: Date;
}): MarginReport {
  const { scenario: s, axis, result: r } = args;
  const expectation = 'breach' in s.expectation ? 'breach' : 'hold';
  const mustBreach = 'breach' in s.expectation ? s.expectation.breach : [];
  const margin = r.stop === 'resolved' || r.stop === 'met-across-range' ? r.met : null;
  return {
    schemaVersion: MARGIN_SCHEMA_VERSION,
    generatedAt: (args.now ?? new Date()).toISOString(),
    command: args.command,
    scenario: { id: s.id, title: s.title, file: s.file },
    variant: s.variant,
    expectation,
    mustBreach,
    axis: { ...axis, description: axisDefinition(axis).describe(axis) },
    repeats: args.repeats,
    budgetS: args.budgetS,
    noise: noiseText(args.repeats),
    search: { stop: r.stop, complete: r.complete, met: r.met, unmet: r.unmet, elapsedS: r.elapsedMs / 1000, runs: r.points.reduce((n, p) => n + p.runs.length, 0) },
    margin,
    statement: marginStatement(r, expectation, axis.range),
    decisive: decisiveSlos(r, mustBreach),
    slos: slosAlongAxis(r.points),
    points: [...r.points]
      .sort((a, b) => a.factor - b.factor)
      .map((p) => ({ factor: p.factor, verdict: p.verdict, runs: p.runs.map((x) => ({ runDir: x.runDir, status: x.status, result: x.result, error: x.error, wallS: x.wallMs / 1000 })) })),
    capacity: args.capacity,
  };
}
