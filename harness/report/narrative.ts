import type { VariantJudgement } from '../verdict/judge.ts';

// "What happened", in sentences, from the scenario's own words plus what the history shows. The aim:
// a newcomer understands the incident from the report alone.

const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function evidenceText(evidence: Record<string, unknown> | undefined): string {
  if (!evidence) return '';
  const parts = Object.entries(evidence)
    .slice(0, 6)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return parts.length ? ` (evidence: ${parts.join(', ')})` : '';
}

export function narrate(j: VariantJudgement): string[] {
  const sc = j.scenario;
  const lines: string[] = [sc.summary];
  if (sc.variantDescription) lines.push(`This run is the "${sc.variant}" variant: ${sc.variantDescription}`);
  for (const a of j.observation.actions) {
    const planned = sc.timeline[a.index];
    const what = planned?.label ?? `${a.action} on ${a.target}`;
    if (a.failedMs !== undefined) lines.push(`At ${s1(a.failedMs)}: ${what} failed: ${a.error ?? 'no error text'}${evidenceText(a.evidence)}.`);
    else if (a.appliedMs !== undefined) lines.push(`At ${s1(a.appliedMs)}: ${what}${evidenceText(a.evidence)}.`);
    else lines.push(`At ${a.at} s: ${what} was started but never confirmed.`);
  }
  for (const d of j.detections) {
    if (d.faultAtS === null) lines.push(`No fault matching the detection SLO "${d.slo}" occurred.`);
    else if (d.firedAtS === null) lines.push(`The fault first showed at ${d.faultAtS.toFixed(1)} s and alert "${d.alert}" never fired: nobody would have been paged.`);
    else lines.push(`The fault first showed at ${d.faultAtS.toFixed(1)} s; alert "${d.alert}" fired at ${d.firedAtS.toFixed(1)} s, ${d.seconds!.toFixed(1)} s later.`);
  }
  const breached = j.slos.filter((s) => s.status === 'fail');
  const unknown = j.slos.filter((s) => s.status === 'unknown');
  if (breached.length) lines.push(`Breached: ${breached.map((s) => `${s.title} (${s.detail})`).join('; ')}.`);
  if (unknown.length) lines.push(`No data for: ${unknown.map((s) => s.title).join(', ')}.`);
  const v = j.verdict;
  const verdictText: Record<typeof v.status, string> = {
    reproduced: 'The incident was reproduced: every SLO it is expected to breach did breach.',
    rotted: 'The replay has rotted: the incident no longer breaches what it should, so this gate proves nothing until fixed.',
    held: 'The remediation held: every SLO passed.',
    broken: 'The remediation did not hold: at least one SLO breached.',
    inconclusive: 'Inconclusive: no SLO breached, but some had no data, so this is not a pass.',
  };
  lines.push(verdictText[v.status]);
  for (const w of j.warnings) lines.push(`Warning: ${w}.`);
  return lines;
}
