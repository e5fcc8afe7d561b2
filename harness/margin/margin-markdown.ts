import type { MarginReport } from './margin-report.ts';
import type { DecisiveSlo } from './slos-along-axis.ts';

// margin.md: the margin in one line, then what decided it, each SLO along the axis, the runs, and
// the capacity cross-check. Details and the chart are in margin.html.

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
export const fmt = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : Math.abs(v) < 1 ? v.toFixed(4) : v.toFixed(1));
const VERDICT = { met: '🟢 met', unmet: '🔴 not met', undecided: '❔ undecided' } as const;

export function decisiveLine(d: DecisiveSlo, kind: 'broke' | 'stopped-breaching'): string {
  const how = d.beyondBy === null ? 'no value' : `${fmt(d.value)} against \`${d.threshold}\`, ${d.beyondBy >= 0 ? 'past' : 'inside'} the limit by ${fmt(Math.abs(d.beyondBy))}${d.relative === null ? '' : ` (${(Math.abs(d.relative) * 100).toFixed(0)}%)`}`;
  return `${kind === 'broke' ? 'failed' : 'no longer breached'} in ${kind === 'broke' ? d.failed : d.judged - d.failed} of ${d.judged} runs: ${how}`;
}

export function renderMarginMarkdown(r: MarginReport): string {
  const out = [`## Margin: ${r.scenario.title} (\`${r.scenario.id}\`), variant \`${r.variant}\`, axis \`${r.axis.name}\``, ''];
  out.push(`**${r.expectation === 'hold' ? 'The variant' : 'The incident'} ${r.statement}.**`, '');
  out.push(`- Axis \`${r.axis.name}\` (${r.axis.kind}): ${r.axis.description}; range ×${r.axis.range.min}..×${r.axis.range.max}, resolution ${r.axis.resolution}. Why: ${r.axis.why}`);
  out.push(`- Search: ${r.search.runs} runs in ${r.search.elapsedS.toFixed(0)} s of a ${r.budgetS.toFixed(0)} s budget; stopped because ${r.search.stop}${r.search.complete ? '' : ' (**partial**: the interval is still open)'}.`);
  out.push(`- Noise: ${r.noise}. Repeats per point: ${r.repeats}.`);
  if (r.decisive) {
    out.push('', r.decisive.kind === 'broke' ? `### First SLO to break (at ×${r.decisive.factor})` : `### First expected breach to go away (at ×${r.decisive.factor})`, '');
    if (r.decisive.slos.length === 0) out.push('No single SLO: the runs there were red or inconclusive for reasons outside the SLOs (see the run reports).');
    for (const d of r.decisive.slos) out.push(`- \`${d.id}\` (${cell(d.title)}): ${decisiveLine(d, r.decisive.kind)}`);
  }
  if (r.capacity) out.push('', '### Capacity model cross-check', '', `${r.capacity.verdict === 'disagrees' ? '**Finding:** ' : ''}${r.capacity.statement}.`);
  out.push('', '### Each SLO along the axis (median of the runs at each factor)', '');
  out.push(`| SLO | threshold | ${r.points.map((p) => `×${p.factor}`).join(' | ')} |`, `|---|---|${r.points.map(() => '---').join('|')}|`);
  for (const s of r.slos) {
    out.push(`| \`${s.id}\` | \`${cell(s.threshold)}\` | ${s.points.map((p) => `${fmt(p.value)}${p.statuses.includes('fail') ? ' ❌' : p.statuses.includes('unknown') ? ' ❔' : ''}`).join(' | ')} |`);
  }
  out.push('', '### Runs', '', '| factor | point | run | verdict | directory |', '|---|---|---|---|---|');
  for (const p of r.points) {
    p.runs.forEach((x, i) => out.push(`| ×${p.factor} | ${i === 0 ? VERDICT[p.verdict] : ''} | ${i + 1} | ${x.status}${x.error ? `: ${cell(x.error)}` : ''} | ${x.runDir ? `\`${x.runDir}\`` : '—'} |`));
  }
  out.push('', `Command: \`${r.command}\`. Generated ${r.generatedAt}.`, '');
  return out.join('\n');
}
