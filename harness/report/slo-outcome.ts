import type { VariantSummary } from './summary-schema.ts';

// What one SLO's result means for its variant, from the measured status and the variant's expectation
// together. Every reporter (junit.xml, report.html, summary.md) names and marks an SLO from this one
// table, so a CI test tab can never call a breach "holds".

export type SloAsk = 'must breach' | 'must hold' | 'not asked';
export type Measured = 'held' | 'breached' | 'no data';
/** How a JUnit test case ends: passed, <failure>, <error>, or <skipped> (reported, not asserted). */
export type CaseResult = 'passed' | 'failed' | 'error' | 'skipped';

export interface SloOutcome {
  ask: SloAsk;
  measured: Measured;
  result: CaseResult;
  /** Test-case wording after the SLO id: "breached, as expected". */
  phrase: string;
  /** One word for tables: as expected, NOT as expected, no data, not asserted. */
  verdict: 'as expected' | 'NOT as expected' | 'no data' | 'not asserted';
}

const MEASURED: Record<'pass' | 'fail' | 'unknown', Measured> = { pass: 'held', fail: 'breached', unknown: 'no data' };

type Row = Omit<SloOutcome, 'ask' | 'measured'>;
const TABLE: Record<SloAsk, Record<Measured, Row>> = {
  'must breach': {
    breached: { result: 'passed', phrase: 'breached, as expected', verdict: 'as expected' },
    held: { result: 'failed', phrase: 'held, but was expected to breach', verdict: 'NOT as expected' },
    'no data': { result: 'error', phrase: 'had no data, but was expected to breach', verdict: 'no data' },
  },
  'must hold': {
    held: { result: 'passed', phrase: 'held', verdict: 'as expected' },
    breached: { result: 'failed', phrase: 'breached', verdict: 'NOT as expected' },
    'no data': { result: 'error', phrase: 'had no data', verdict: 'no data' },
  },
  // An incident variant does not assert the SLOs it does not list: a breach there is reported (the
  // verdict's unexpectedBreaches) but does not fail the gate, so it is skipped with the reason.
  'not asked': {
    held: { result: 'passed', phrase: 'held (not among the expected breaches)', verdict: 'not asserted' },
    breached: { result: 'skipped', phrase: 'breached, not among the expected breaches', verdict: 'not asserted' },
    'no data': { result: 'skipped', phrase: 'had no data (not among the expected breaches)', verdict: 'not asserted' },
  },
};

export function sloAsk(expectation: VariantSummary['expectation'], sloId: string): SloAsk {
  if (!('breach' in expectation)) return 'must hold';
  return expectation.breach.includes(sloId) ? 'must breach' : 'not asked';
}

export function sloOutcome(expectation: VariantSummary['expectation'], slo: { id: string; status: 'pass' | 'fail' | 'unknown' }): SloOutcome {
  const ask = sloAsk(expectation, slo.id);
  const measured = MEASURED[slo.status];
  return { ask, measured, ...TABLE[ask][measured] };
}

/** Expected breaches that name no judged SLO: the verdict counts them as rotted, so reports show them. */
export function missingExpectedSlos(v: Pick<VariantSummary, 'expectation' | 'slos'>): string[] {
  if (!('breach' in v.expectation)) return [];
  const judged = new Set(v.slos.map((s) => s.id));
  return v.expectation.breach.filter((id) => !judged.has(id));
}
