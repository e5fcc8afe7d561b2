import { describe, expect, it } from 'vitest';
import { sampleReport } from '../report/fixtures/sample-run.ts';
import { toSummary } from '../report/report-data.ts';
import { BASELINE, catchSummarySchema, formatCatchTable, mutationRow, outcomesOf, type CatchSummary, type ScenarioRun } from './catch-table.ts';

// Summaries built from the tiny scenario's judged sample run (the same shape summary.json has),
// then edited the way a mutated server's run would differ.

async function remediatedSummary(): Promise<CatchSummary> {
  const s = toSummary(await sampleReport());
  return catchSummarySchema.parse({ ...s, variants: s.variants.filter((v) => v.variant === 'remediated') });
}

function broken(s: CatchSummary, sloId: string, status: 'fail' | 'unknown'): CatchSummary {
  return {
    ...s,
    variants: s.variants.map((v) => ({ ...v, verdict: { status: status === 'fail' ? 'broken' : 'inconclusive', met: false }, slos: v.slos.map((x) => (x.id === sloId ? { ...x, status } : x)) })),
  };
}

const run = (scenario: string, summaries: CatchSummary[], seconds = 60): ScenarioRun => ({ scenario, seconds, outcomes: summaries.flatMap(outcomesOf), error: undefined });

describe('the mutation catch table', () => {
  it('reads a held remediated variant as a miss, naming no SLO', async () => {
    const s = await remediatedSummary();
    expect(s.variants[0]!.verdict.met).toBe(true);
    const row = mutationRow('01-x', [run('tiny', [s])]);
    expect(row).toMatchObject({ verdict: 'missed', caughtBy: [], errors: [], scenarios: ['tiny'], seconds: 60 });
  });

  it('names the scenario, variant and every SLO that was not green when a variant did not hold', async () => {
    const s = await remediatedSummary();
    const row = mutationRow('07-y', [run('tiny', [broken(s, 'lost', 'fail')], 70), run('other', [{ ...broken(s, 'conn-success', 'unknown'), scenario: { id: 'other' } }], 50)]);
    expect(row.verdict).toBe('caught');
    expect(row.caughtBy).toEqual(['tiny/remediated: lost (fail)', 'other/remediated: conn-success (unknown)']);
    expect(row.seconds).toBe(120);
  });

  it('counts a replay that could not run as an error, never as a miss, but keeps a catch elsewhere', async () => {
    const s = await remediatedSummary();
    const failed: ScenarioRun = { scenario: 'b', seconds: 5, outcomes: [], error: 'harness run exited 2 with 0 verdict(s)' };
    expect(mutationRow('m', [run('a', [s]), failed])).toMatchObject({ verdict: 'error', errors: ['b: harness run exited 2 with 0 verdict(s)'] });
    expect(mutationRow('m', [run('a', [broken(s, 'lost', 'fail')]), failed]).verdict).toBe('caught');
    expect(mutationRow('m', [], 'the patch no longer applies').verdict).toBe('error');
  });

  it('shows a miss on fewer scenarios than asked for as unfinished, outside the catch rate; a catch on one is a catch', async () => {
    const s = await remediatedSummary();
    const unfinished = mutationRow('10-w', [run('tiny', [s])], undefined, 5);
    expect(unfinished).toMatchObject({ verdict: 'missed', incomplete: true, of: 5 });
    expect(mutationRow('11-v', [run('tiny', [broken(s, 'lost', 'fail')])], undefined, 5).incomplete).toBe(false);
    const table = formatCatchTable([unfinished, mutationRow('11-v', [run('tiny', [broken(s, 'lost', 'fail')])], undefined, 5)]);
    expect(table).toContain('| 10-w | not so far (1 of 5 replayed) |');
    expect(table.split('\n').at(-1)).toBe('catch rate: 1 of 1 mutations judged (1 not replayed on every scenario)');
  });

  it('lists duplicates and stray webhooks that a held variant saw but no SLO judged', async () => {
    const s = await remediatedSummary();
    const v = s.variants[0]!;
    const seen: CatchSummary = { ...s, variants: [{ ...v, delivery: [{ duplicated: 3, reordered: 0 }, { duplicated: 2, reordered: 1 }], webhooks: { unexpected: 4 } }] };
    expect(mutationRow('m', [run('tiny', [seen])]).seenNotJudged).toEqual(['tiny/remediated: 5 duplicated, 1 reordered, 4 unexpected webhooks']);
  });

  it('prints one row per mutation, the baseline as a false alarm or clean, and a catch rate without the baseline', async () => {
    const s = await remediatedSummary();
    const table = formatCatchTable([
      mutationRow(BASELINE, [run('tiny', [s])]),
      mutationRow('07-y', [run('tiny', [broken(s, 'lost', 'fail')])]),
      mutationRow('01-x', [run('tiny', [s])]),
      mutationRow('05-z', [], 'build.mjs failed'),
    ]);
    const lines = table.split('\n');
    expect(lines.find((l) => l.startsWith(`| ${BASELINE}`))).toContain('| no (clean) |');
    expect(lines.find((l) => l.startsWith('| 07-y'))).toContain('| yes | tiny/remediated: lost (fail) | – | – | tiny | 60 s |');
    expect(lines.find((l) => l.startsWith('| 01-x'))).toContain('| no |');
    expect(lines.find((l) => l.startsWith('| 05-z'))).toContain('| error |');
    expect(lines.at(-1)).toBe('catch rate: 1 of 2 mutations judged (1 could not run)');
    expect(formatCatchTable([mutationRow(BASELINE, [run('tiny', [broken(s, 'lost', 'fail')])])])).toContain('FALSE ALARM');
    expect(() => formatCatchTable([])).toThrow(/no rows/);
  });
});
