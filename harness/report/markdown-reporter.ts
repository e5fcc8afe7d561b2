import { sloValue } from './format.ts';
import type { RunReport } from './report-data.ts';
import type { Reporter } from './reporter.ts';
import { missingExpectedSlos, sloOutcome } from './slo-outcome.ts';

// A short summary for CI job pages (GitHub step summary and the like): verdict per variant, the SLO
// table, detection times. Details live in report.html.

const ICON: Record<string, string> = { pass: '✅ pass', fail: '❌ fail', unknown: '❔ unknown' };
const VERDICT: Record<string, string> = { reproduced: '🔴 reproduced', rotted: '⚠️ rotted', held: '🟢 held', broken: '❌ broken', inconclusive: '❔ inconclusive' };
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = sloValue;

export function renderMarkdown(report: RunReport): string {
  const out: string[] = [`## ${report.scenario.title} (\`${report.scenario.id}\`)`, ''];
  if (report.unfinished) out.push(`> **This run did not finish** (${report.unfinished}): its verdicts are unknown, never green.`, '');
  out.push(report.scenario.summary, '');
  out.push('| variant | expectation | verdict |', '|---|---|---|');
  for (const v of report.variants) {
    const exp = 'breach' in v.expectation ? `breach ${v.expectation.breach.join(', ')}` : 'hold all';
    out.push(`| ${v.variant} | ${cell(exp)} | ${VERDICT[v.verdict.status]} ${v.verdict.met ? '(as expected)' : '(**not as expected**)'} |`);
  }
  for (const v of report.variants) {
    out.push('', `### ${v.variant}`, '');
    if (v.description) out.push(v.description, '');
    if (v.peakConnections !== undefined && v.peakConnections !== null) out.push(`Peak: ${v.peakConnections.toLocaleString('en')} connections open at once (every pod's gauge summed).`, '');
    out.push('| SLO | threshold | value | status | expectation | outcome |', '|---|---|---|---|---|---|');
    for (const s of v.slos) {
      const o = sloOutcome(v.expectation, s);
      out.push(`| ${cell(s.title)} | \`${cell(s.threshold)}\` | ${num(s.value, s.unit)} | ${ICON[s.status]} | ${o.ask === 'not asked' ? '—' : o.ask} | ${o.verdict === 'NOT as expected' ? '**NOT as expected**' : o.verdict} |`);
    }
    for (const id of missingExpectedSlos(v)) out.push(`| \`${cell(id)}\` | — | — | ❔ not judged | must breach | no data |`);
    if (v.exempt.length) out.push('', ...v.exempt.map((e) => `- Not judged: \`${e.probe}\` ${e.check}, because ${cell(e.why)}`));
    for (const d of v.detections) {
      out.push('', d.seconds === null ? `Detection (${d.alert}): ${d.faultAtS === null ? 'no fault occurred' : 'not detected'}` : `Detection (${d.alert}): ${d.seconds.toFixed(1)} s after the fault`);
    }
    if (!v.verdict.met) out.push('', ...v.verdict.reasons.map((r) => `- ${r}`));
  }
  out.push('', `Exit code ${report.exitCode}. Run \`${report.runId}\`; full report in report.html.`, '');
  return out.join('\n');
}

export const markdownReporter: Reporter = { name: 'markdown', file: 'summary.md', render: renderMarkdown };
