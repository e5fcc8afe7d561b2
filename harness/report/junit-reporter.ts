import type { RunReport, VariantReport } from './report-data.ts';
import type { Reporter } from './reporter.ts';
import { missingExpectedSlos, sloOutcome } from './slo-outcome.ts';

// junit.xml: one test case per SLO per variant. Its name says what was measured and what the variant
// expected (slo-outcome.ts), and its status follows: a breach the incident expects passes, a breach a
// hold-all variant forbids fails, no data is an <error> (CI systems often treat skipped as green), and a
// breach the incident does not list is <skipped> with the reason: reported, not asserted by the gate.

export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

const valueText = (v: number | null, unit: string) => (v === null ? 'no value' : `${Number.isInteger(v) ? v : v.toFixed(4)}${unit === 'ms' ? ' ms' : unit === 's' ? ' s' : ''}`);

interface Case {
  xml: string;
  failed: boolean;
  errored: boolean;
  skipped: boolean;
}

function caseXml(classname: string, name: string, body: string): string {
  return `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}">\n      ${body}\n    </testcase>`;
}

function testcase(scenario: string, v: VariantReport, slo: VariantReport['slos'][number]): Case {
  const o = sloOutcome(v.expectation, slo);
  const name = `${v.variant} › ${slo.id} ${o.phrase} (${slo.threshold})`;
  const observed = `${valueText(slo.value, slo.unit)} vs threshold ${slo.threshold}: ${slo.detail}`;
  const classname = `${scenario}.${v.variant}`;
  const flags = { failed: o.result === 'failed', errored: o.result === 'error', skipped: o.result === 'skipped' };
  switch (o.result) {
    case 'passed':
      return { xml: caseXml(classname, name, `<system-out>${xmlEscape(observed)}</system-out>`), ...flags };
    case 'skipped': {
      const why = o.measured === 'breached' ? `breached, but this variant does not assert it (an unexpected breach, reported in the verdict): ${observed}` : `no data, not asserted by this variant: ${observed}`;
      return { xml: caseXml(classname, name, `<skipped message="${xmlEscape(why)}"/>`), ...flags };
    }
    case 'error':
      return { xml: caseXml(classname, name, `<error message="${xmlEscape(`no data: ${observed}`)}" type="unknown"/>`), ...flags };
    case 'failed': {
      const message = o.ask === 'must breach' ? `expected a breach, but it held: ${observed}` : `breached: ${observed}`;
      return { xml: caseXml(classname, name, `<failure message="${xmlEscape(message)}" type="${o.ask === 'must breach' ? 'rotted' : 'breach'}"/>`), ...flags };
    }
  }
}

/** An expected breach that names no judged SLO: the verdict is rotted, so a CI reading junit.xml sees an error. */
function missingCases(scenario: string, v: VariantReport): Case[] {
  return missingExpectedSlos(v).map((id) => ({
    xml: caseXml(`${scenario}.${v.variant}`, `${v.variant} › ${id} was expected to breach, but no such SLO was judged`, `<error message="${xmlEscape(`no SLO named ${id} was judged in this variant`)}" type="unknown"/>`),
    failed: false,
    errored: true,
    skipped: false,
  }));
}

/**
 * A run that did not finish or whose fault never took effect is unknown even when every SLO case
 * passed: one more case, an <error>, so a CI that reads only junit.xml does not go green either.
 */
function evidenceCase(report: RunReport, v: VariantReport): Case[] {
  const gaps = [...(report.unfinished && !(v.verdict.evidenceGaps ?? []).includes(report.unfinished) ? [report.unfinished] : []), ...(v.verdict.evidenceGaps ?? [])];
  if (gaps.length === 0) return [];
  return [{ xml: caseXml(`${report.scenario.id}.${v.variant}`, `${v.variant} › the run saw enough to judge`, `<error message="${xmlEscape(`unknown: ${gaps.join('; ')}`)}" type="unknown"/>`), failed: false, errored: true, skipped: false }];
}

export function renderJunit(report: RunReport): string {
  let total = 0;
  const suites = report.variants.map((v) => {
    const cases = [...v.slos.map((s) => testcase(report.scenario.id, v, s)), ...missingCases(report.scenario.id, v), ...evidenceCase(report, v)];
    total += cases.length;
    const count = (k: 'failed' | 'errored' | 'skipped') => cases.filter((c) => c[k]).length;
    return `  <testsuite name="${xmlEscape(`${report.scenario.id} / ${v.variant}`)}" tests="${cases.length}" failures="${count('failed')}" errors="${count('errored')}" skipped="${count('skipped')}" time="${v.durationS}">\n${cases.map((c) => c.xml).join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(`incident replay: ${report.scenario.id}`)}" tests="${total}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export const junitReporter: Reporter = { name: 'junit', file: 'junit.xml', render: renderJunit };
