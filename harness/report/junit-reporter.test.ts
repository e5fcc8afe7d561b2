import { describe, expect, it } from 'vitest';
import { parseJunit, type JunitCase as ParsedCase } from './fixtures/read-back.ts';
import { sampleReport } from './fixtures/sample-run.ts';
import { renderJunit, xmlEscape } from './junit-reporter.ts';

/** The sample run with variant `vi`'s expectation and SLO 0's status set, the case read back. */
async function oneCase(vi: 0 | 1, expectation: { breach: readonly string[] } | { hold: 'all' }, status: 'pass' | 'fail' | 'unknown'): Promise<ParsedCase> {
  const r = await sampleReport();
  const v = r.variants[vi]!;
  v.expectation = 'breach' in expectation ? { breach: [...expectation.breach] } : expectation;
  v.slos[0] = { ...v.slos[0]!, status, value: status === 'unknown' ? null : status === 'fail' ? 0.875 : 1 };
  return parseJunit(renderJunit(r)).suites[vi]!.cases[0]!;
}

describe('junit.xml', () => {
  it('has one test case per SLO per variant, named by what was measured and what was expected', async () => {
    const { suites } = parseJunit(renderJunit(await sampleReport()));
    expect(suites.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped])).toEqual([
      ['tiny / incident', 3, 0, 0, 0],
      ['tiny / remediated', 6, 0, 0, 0],
    ]);
    expect(suites[0]!.cases.map((c) => c.name)).toEqual([
      'incident › conn-success breached, as expected (rate>=0.99)',
      'incident › lost held (not among the expected breaches) (count==0)',
      'incident › detect held (not among the expected breaches) (value<=10)',
    ]);
    expect(suites[1]!.cases.map((c) => c.name)).toContain('remediated › ws-probe-duplicated held (count==0)');
    expect(suites.flatMap((s) => s.cases).every((c) => c.result === 'passed')).toBe(true);
  });

  // Every combination of expectation and measured outcome: the name says the outcome, the status
  // follows from both (the oom-cascade bug: a breach named "holds" and shown green).
  const conn = 'conn-success';
  const combos = [
    { ask: 'must breach', vi: 0, expectation: { breach: [conn] }, status: 'fail', name: `incident › ${conn} breached, as expected (rate>=0.99)`, result: 'passed' },
    { ask: 'must breach', vi: 0, expectation: { breach: [conn] }, status: 'pass', name: `incident › ${conn} held, but was expected to breach (rate>=0.99)`, result: 'failed', type: 'rotted', message: /^expected a breach, but it held: 1 vs threshold rate>=0.99/ },
    { ask: 'must breach', vi: 0, expectation: { breach: [conn] }, status: 'unknown', name: `incident › ${conn} had no data, but was expected to breach (rate>=0.99)`, result: 'error', type: 'unknown', message: /^no data: no value vs threshold rate>=0.99/ },
    { ask: 'must hold', vi: 1, expectation: { hold: 'all' }, status: 'pass', name: `remediated › ${conn} held (rate>=0.99)`, result: 'passed' },
    { ask: 'must hold', vi: 1, expectation: { hold: 'all' }, status: 'fail', name: `remediated › ${conn} breached (rate>=0.99)`, result: 'failed', type: 'breach', message: /^breached: 0\.8750 vs threshold rate>=0.99/ },
    { ask: 'must hold', vi: 1, expectation: { hold: 'all' }, status: 'unknown', name: `remediated › ${conn} had no data (rate>=0.99)`, result: 'error', type: 'unknown', message: /^no data: no value/ },
    { ask: 'not asked', vi: 0, expectation: { breach: ['lost'] }, status: 'pass', name: `incident › ${conn} held (not among the expected breaches) (rate>=0.99)`, result: 'passed' },
    { ask: 'not asked', vi: 0, expectation: { breach: ['lost'] }, status: 'fail', name: `incident › ${conn} breached, not among the expected breaches (rate>=0.99)`, result: 'skipped', message: /^breached, but this variant does not assert it .*: 0\.8750 vs threshold/ },
    { ask: 'not asked', vi: 0, expectation: { breach: ['lost'] }, status: 'unknown', name: `incident › ${conn} had no data (not among the expected breaches) (rate>=0.99)`, result: 'skipped', message: /^no data, not asserted by this variant: no value/ },
  ] as const;
  it.each(combos)('$ask, measured $status → $result', async (c) => {
    const got = await oneCase(c.vi, c.expectation, c.status);
    expect(got.name).toBe(c.name);
    expect(got.result).toBe(c.result);
    if ('type' in c) expect(got.type).toBe(c.type);
    if ('message' in c) expect(got.message).toMatch(c.message);
    else expect(got.message).toBeUndefined();
    // The name never says the opposite of the measurement.
    if (c.status === 'fail') expect(got.name).not.toMatch(/ held/);
    if (c.status === 'pass') expect(got.name).not.toMatch(/breached/);
  });

  it('counts failures, errors and skips per suite', async () => {
    const r = await sampleReport();
    const incident = r.variants[0]!;
    incident.slos[0] = { ...incident.slos[0]!, status: 'pass', value: 1 };
    incident.slos[1] = { ...incident.slos[1]!, status: 'unknown', value: null };
    incident.slos[2] = { ...incident.slos[2]!, status: 'fail', value: 14 };
    const s = parseJunit(renderJunit(r)).suites[0]!;
    expect([s.tests, s.failures, s.errors, s.skipped]).toEqual([3, 1, 0, 2]);
  });

  it('an expected breach that names no judged SLO is an error case', async () => {
    const r = await sampleReport();
    r.variants[0]!.expectation = { breach: ['conn-success', 'no-such-slo'] };
    const s = parseJunit(renderJunit(r)).suites[0]!;
    expect(s.cases.at(-1)).toEqual({ name: 'incident › no-such-slo was expected to breach, but no such SLO was judged', result: 'error', message: 'no SLO named no-such-slo was judged in this variant', type: 'unknown' });
    expect([s.tests, s.errors]).toEqual([4, 1]);
  });

  it('escapes XML', () => {
    expect(xmlEscape(`a<b & "c" 'd'\u0001`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;');
  });
});
