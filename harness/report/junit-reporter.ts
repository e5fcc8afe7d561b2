import type { RunReport, VariantReport } from './report-data.ts';
import type { Reporter } from './reporter.ts';

// junit.xml: one test case per SLO per variant. A test case asserts the variant's expectation for that
// SLO: in the incident an expected breach passes when the SLO breached; elsewhere an SLO passes when it
// held. No data is an <error>, never a pass or a skip (CI systems often treat skipped as green).

export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

const valueText = (v: number | null, unit: string) => (v === null ? 'no value' : `${Number.isInteger(v) ? v : v.toFixed(4)}${unit === 'ms' ? ' ms' : unit === 's' ? ' s' : ''}`);

function testcase(scenario: string, v: VariantReport, slo: VariantReport['slos'][number]): { xml: string; failed: boolean; errored: boolean } {
  const mustBreach = 'breach' in v.expectation && v.expectation.breach.includes(slo.id);
  const name = `${v.variant} › ${slo.id} ${mustBreach ? 'breaches' : 'holds'} (${slo.threshold})`;
  const head = `    <testcase classname="${xmlEscape(`${scenario}.${v.variant}`)}" name="${xmlEscape(name)}">`;
  const observed = `${valueText(slo.value, slo.unit)} vs threshold ${slo.threshold}: ${slo.detail}`;
  if (slo.status === 'unknown') {
    return { xml: `${head}\n      <error message="${xmlEscape(`no data: ${observed}`)}" type="unknown"/>\n    </testcase>`, failed: false, errored: true };
  }
  const breached = slo.status === 'fail';
  const informational = 'breach' in v.expectation && !mustBreach;
  if (informational || breached === mustBreach) {
    return { xml: `${head}\n      <system-out>${xmlEscape(observed)}</system-out>\n    </testcase>`, failed: false, errored: false };
  }
  const message = mustBreach ? `expected a breach, but it held: ${observed}` : `breached: ${observed}`;
  return { xml: `${head}\n      <failure message="${xmlEscape(message)}" type="${mustBreach ? 'rotted' : 'breach'}"/>\n    </testcase>`, failed: true, errored: false };
}

/**
 * A run that did not finish or whose fault never took effect is unknown even when every SLO case
 * passed: one more case, an <error>, so a CI that reads only junit.xml does not go green either.
 */
function evidenceCase(report: RunReport, v: VariantReport): { xml: string; failed: boolean; errored: boolean }[] {
  const gaps = [...(report.unfinished && !(v.verdict.evidenceGaps ?? []).includes(report.unfinished) ? [report.unfinished] : []), ...(v.verdict.evidenceGaps ?? [])];
  if (gaps.length === 0) return [];
  const head = `    <testcase classname="${xmlEscape(`${report.scenario.id}.${v.variant}`)}" name="${xmlEscape(`${v.variant} › the run saw enough to judge`)}">`;
  return [{ xml: `${head}\n      <error message="${xmlEscape(`unknown: ${gaps.join('; ')}`)}" type="unknown"/>\n    </testcase>`, failed: false, errored: true }];
}

export function renderJunit(report: RunReport): string {
  const suites = report.variants.map((v) => {
    const cases = [...v.slos.map((s) => testcase(report.scenario.id, v, s)), ...evidenceCase(report, v)];
    const failures = cases.filter((c) => c.failed).length;
    const errors = cases.filter((c) => c.errored).length;
    return `  <testsuite name="${xmlEscape(`${report.scenario.id} / ${v.variant}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${v.durationS}">\n${cases.map((c) => c.xml).join('\n')}\n  </testsuite>`;
  });
  const total = report.variants.reduce((n, v) => n + v.slos.length + evidenceCase(report, v).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(`incident replay: ${report.scenario.id}`)}" tests="${total}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export const junitReporter: Reporter = { name: 'junit', file: 'junit.xml', render: renderJunit };
