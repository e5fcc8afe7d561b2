import { z } from 'zod';

/**
 * Which remediated variant caught which mutation, from the runs' summary.json files. Only the
 * fields read here are validated, so a later summary version that adds fields still reads.
 * "Caught" means the remediated variant did not hold (its verdict is not met): an SLO failed or
 * was unknown. A run that could not happen is an error, never a catch and never a miss.
 */

const variantSchema = z.object({
  variant: z.string(),
  verdict: z.object({ status: z.string(), met: z.boolean() }),
  slos: z.array(z.object({ id: z.string(), status: z.enum(['pass', 'fail', 'unknown']) })),
  durationS: z.number().optional(),
  delivery: z.array(z.object({ duplicated: z.number(), reordered: z.number() })).optional(),
  webhooks: z.object({ unexpected: z.number() }).optional(),
});
export const catchSummarySchema = z.object({ scenario: z.object({ id: z.string() }), variants: z.array(variantSchema).min(1) });
export type CatchSummary = z.infer<typeof catchSummarySchema>;

export interface VariantOutcome {
  scenario: string;
  variant: string;
  held: boolean;
  /** SLOs that were not green, as "id (fail)" / "id (unknown)". */
  breached: string[];
  /** Evidence in the history that no SLO judged yet: duplicates, reorders, stray webhooks. */
  unjudged: string[];
  /** Seconds the harness took for the replay and tear-down (summary.json durationS); 0 when absent. */
  replaySeconds: number;
}

export function outcomesOf(summary: CatchSummary): VariantOutcome[] {
  return summary.variants.map((v) => {
    const sum = (xs: { duplicated: number; reordered: number }[] | undefined, k: 'duplicated' | 'reordered') => (xs ?? []).reduce((n, d) => n + d[k], 0);
    const unjudged: string[] = [];
    const dup = sum(v.delivery, 'duplicated');
    const reo = sum(v.delivery, 'reordered');
    if (dup > 0) unjudged.push(`${dup} duplicated`);
    if (reo > 0) unjudged.push(`${reo} reordered`);
    if ((v.webhooks?.unexpected ?? 0) > 0) unjudged.push(`${v.webhooks!.unexpected} unexpected webhooks`);
    return {
      scenario: summary.scenario.id,
      variant: v.variant,
      held: v.verdict.met,
      breached: v.slos.filter((s) => s.status !== 'pass').map((s) => `${s.id} (${s.status})`),
      unjudged,
      replaySeconds: v.durationS ?? 0,
    };
  });
}

export interface ScenarioRun {
  scenario: string;
  seconds: number;
  /** Present when the replay ran; absent with `error` when it could not. */
  outcomes: VariantOutcome[];
  error: string | undefined;
}

export type CatchVerdict = 'caught' | 'missed' | 'error';

/** The row name of the unmutated server's run: its "caught" is a false alarm, and it is not in the catch rate. */
export const BASELINE = 'none (unmutated server)';

export interface MutationRow {
  mutation: string;
  verdict: CatchVerdict;
  /** "scenario/variant: slo (fail), …" for every variant that did not hold. */
  caughtBy: string[];
  /** Duplicates etc. seen in the history of variants that held: what an SLO could have judged. */
  seenNotJudged: string[];
  errors: string[];
  /** The scenarios whose remediated variants were replayed (fewer than all when stopped at the first catch). */
  scenarios: string[];
  /** Scenarios asked for. */
  of: number;
  /** A miss on fewer scenarios than asked for: not yet a miss. */
  incomplete: boolean;
  seconds: number;
}

/**
 * `of`: how many scenarios were asked for. A miss judged on fewer of them (a bench cut short) is
 * shown as such, not as a miss.
 */
export function mutationRow(mutation: string, runs: readonly ScenarioRun[], buildError?: string, of?: number): MutationRow {
  const outcomes = runs.flatMap((r) => r.outcomes);
  const caughtBy = outcomes.filter((o) => !o.held).map((o) => `${o.scenario}/${o.variant}: ${o.breached.length ? o.breached.join(', ') : 'verdict not met'}`);
  const seenNotJudged = outcomes.filter((o) => o.held && o.unjudged.length).map((o) => `${o.scenario}/${o.variant}: ${o.unjudged.join(', ')}`);
  const errors = [...(buildError ? [`build: ${buildError}`] : []), ...runs.filter((r) => r.error !== undefined).map((r) => `${r.scenario}: ${r.error}`)];
  // A catch stands even if another scenario errored; a miss only counts when every replay ran.
  const verdict: CatchVerdict = caughtBy.length > 0 ? 'caught' : errors.length > 0 || outcomes.length === 0 ? 'error' : 'missed';
  const incomplete = verdict === 'missed' && of !== undefined && runs.length < of;
  return { mutation, verdict, caughtBy, seenNotJudged, errors, scenarios: runs.map((r) => r.scenario), of: of ?? runs.length, incomplete, seconds: runs.reduce((s, r) => s + r.seconds, 0) };
}

const cell = (xs: readonly string[]): string => (xs.length ? xs.join('; ') : '–').replace(/\|/g, '\\|');

export function formatCatchTable(rows: readonly MutationRow[]): string {
  if (rows.length === 0) throw new Error('formatCatchTable: no rows (no mutation was run)');
  const lines = [
    '| mutation | caught | by (scenario/variant: SLO) | seen in the history, not judged | errors | replayed | time |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const base = r.mutation === BASELINE ? { caught: 'FALSE ALARM', missed: 'no (clean)', error: 'error' }[r.verdict] : { caught: 'yes', missed: 'no', error: 'error' }[r.verdict];
      const caught = r.incomplete ? `not so far (${r.scenarios.length} of ${r.of} replayed)` : base;
      return `| ${r.mutation} | ${caught} | ${cell(r.caughtBy)} | ${cell(r.seenNotJudged)} | ${cell(r.errors)} | ${r.scenarios.length ? r.scenarios.join(', ') : '–'} | ${Math.round(r.seconds)} s |`;
    }),
  ];
  const judged = rows.filter((r) => r.verdict !== 'error' && !r.incomplete && r.mutation !== BASELINE);
  const caught = judged.filter((r) => r.verdict === 'caught').length;
  const failed = rows.filter((r) => r.verdict === 'error' && r.mutation !== BASELINE).length;
  const unfinished = rows.filter((r) => r.incomplete && r.mutation !== BASELINE).length;
  const notes = [failed ? `${failed} could not run` : '', unfinished ? `${unfinished} not replayed on every scenario` : ''].filter(Boolean);
  lines.push('', `catch rate: ${caught} of ${judged.length} mutations judged${notes.length ? ` (${notes.join(', ')})` : ''}`);
  return lines.join('\n');
}
