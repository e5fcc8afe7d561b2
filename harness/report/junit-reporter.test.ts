import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixtures/sample-run.ts';
import { renderJunit, xmlEscape } from './junit-reporter.ts';

describe('junit.xml', () => {
  it('has one test case per SLO per variant, and passes when expectations are met', async () => {
    const xml = renderJunit(await sampleReport());
    // Remediated also judges its delivery probe's loss, duplication and order (semantic-checks.ts).
    expect(xml.match(/<testcase /g)).toHaveLength(9);
    expect(xml).toContain('<testsuite name="tiny / incident" tests="3" failures="0" errors="0"');
    expect(xml).toContain('<testsuite name="tiny / remediated" tests="6" failures="0" errors="0"');
    expect(xml).toContain('name="remediated › ws-probe-duplicated holds (count==0)"');
    expect(xml).toContain('name="incident › conn-success breaches (rate&gt;=0.99)"');
    expect(xml).not.toContain('<failure');
  });

  it('a remediated breach is a failure whose message gives value vs threshold', async () => {
    const r = await sampleReport();
    const remediated = r.variants[1]!;
    remediated.slos[0] = { ...remediated.slos[0]!, status: 'fail', value: 0.93 };
    const xml = renderJunit(r);
    expect(xml).toContain('<failure message="breached: 0.9300 vs threshold rate&gt;=0.99: 600 connect.successes / 600 connect.attempts" type="breach"/>');
  });

  it('an incident SLO that held when it should breach fails as rotted; no data is an error', async () => {
    const r = await sampleReport();
    const incident = r.variants[0]!;
    incident.slos[0] = { ...incident.slos[0]!, status: 'pass', value: 1 };
    incident.slos[1] = { ...incident.slos[1]!, status: 'unknown', value: null };
    const xml = renderJunit(r);
    expect(xml).toMatch(/<failure message="expected a breach, but it held: 1 vs threshold rate&gt;=0.99[^"]*" type="rotted"\/>/);
    expect(xml).toContain('failures="1" errors="1"');
    expect(xml).toMatch(/<error message="no data: no value vs threshold count==0/);
  });

  it('escapes XML', () => {
    expect(xmlEscape(`a<b & "c" 'd'\u0001`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;');
  });
});
