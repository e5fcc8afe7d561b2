/** The conformance outcomes as JUnit XML: one test case per check; a skip carries its reason. */
import { xmlEscape } from '../report/junit-reporter.ts';
import type { CheckOutcome } from './check.ts';

function caseXml(server: string, o: CheckOutcome): string {
  const head = `    <testcase classname="${xmlEscape(`conformance.${server}`)}" name="${xmlEscape(`${o.id}: ${o.title}`)}" time="${(o.durationMs / 1000).toFixed(3)}">`;
  const body =
    o.status === 'pass'
      ? `<system-out>${xmlEscape(o.detail)}</system-out>`
      : o.status === 'skip'
        ? `<skipped message="${xmlEscape(o.detail)}"/>`
        : `<failure message="${xmlEscape(o.detail)}" type="nonconformance"/>`;
  return `${head}\n      ${body}\n    </testcase>`;
}

export function renderConformanceJunit(server: string, outcomes: readonly CheckOutcome[]): string {
  const n = (s: CheckOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  const seconds = outcomes.reduce((t, o) => t + o.durationMs, 0) / 1000;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(`conformance: ${server}`)}" tests="${outcomes.length}" failures="${n('fail')}" skipped="${n('skip')}">`,
    `  <testsuite name="${xmlEscape(`conformance.${server}`)}" tests="${outcomes.length}" failures="${n('fail')}" errors="0" skipped="${n('skip')}" time="${seconds.toFixed(3)}">`,
    ...outcomes.map((o) => caseXml(server, o)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
