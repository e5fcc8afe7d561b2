import { FLEET } from './capacity-html.ts';
import type { CapacityReport } from './capacity-schema.ts';
import { utilisationBasis } from './model.ts';

// capacity-summary.md for CI job pages: the plan, the breaks, the model and its held-out error.

const pct = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);
const abs = (v: number | null) => (v === null ? '—' : `±${(v * 100).toFixed(1)}%`);
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '∞');

export function renderCapacityMarkdown(r: CapacityReport): string {
  const out = [`## Capacity (\`${r.profile.name}\`, run \`${r.runId}\`)`, ''];
  out.push('| role | pod size | binding limit | pods (N+1) | memory limit a pod needs |', '|---|---|---|---|---|');
  for (const p of r.plan.roles) out.push(`| ${p.role} | ${p.podMemoryMb} MiB, ${p.podCpus} CPU | ${p.binding} | ${p.pods} | ${p.memoryLimitMb} MiB |`);
  const f = r.plan.failover;
  out.push('', `Primary fails: a surge of ${int(f.surge)} sessions onto the fallback.`, '', '| fallback fleet | pods | largest surge | primary fails |', '|---|---|---|---|');
  for (const x of f.fleets) out.push(`| ${FLEET[x.name]} | ${x.pods} | ${int(x.largestAbsorbableSurge)} | ${x.survives ? '🟢 survives' : '🔴 does not survive'} |`);
  out.push('');
  out.push('| breakpoint run | use | break | where | why |', '|---|---|---|---|---|');
  for (const x of r.connectionRuns) out.push(`| ${x.id} | ${x.use} | ${x.break.kind} | ${int(x.break.value)} connections | ${x.break.reason.replace(/\|/g, '\\|')} |`);
  for (const x of r.messageRuns) out.push(`| ${x.id} | ${x.use} | ${x.break.kind} | ${int(x.break.value)} publishes/s | ${x.break.reason.replace(/\|/g, '\\|')} |`);
  out.push('');
  for (const m of r.model.memory) out.push(`- ${m.role}: ${m.perConnectionKb.toFixed(2)} KiB per connection on ${m.baseMb.toFixed(1)} MiB (R² ${m.fit.r2.toFixed(4)}, RMSE ${m.fit.rmse.toFixed(2)} MiB)`);
  out.push(`- messages: ${int(r.model.messages.messagesPerSPerCore)} delivered/s per core (R² ${r.model.messages.cpuFit.r2.toFixed(3)}); ${utilisationBasis(r.model.messages)}`);
  out.push(`- held-out error: memory ${abs(r.model.heldOutError.memory)}, messages ${abs(r.model.heldOutError.messages)}`, '', 'Full report: capacity-report.html; data: capacity.json.', '');
  return out.join('\n');
}
