import type { VariantSummary } from './summary-schema.ts';

// "What happened", one short line per event: each action with its outcome, the detections, what
// breached, the verdict. The details (evidence per pod, SLO details) live in the tables below the
// story, so a line never carries JSON and never runs past STORY_LINE_MAX characters. Built from the
// summary alone, so a saved summary.json tells the same story.

export const STORY_LINE_MAX = 160;

/** Cut a line to `max` characters with an ellipsis, on a word boundary when one is near. */
export function clipLine(line: string, max = STORY_LINE_MAX): string {
  const flat = line.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.7 ? cut.slice(0, space) : cut).replace(/[\s,;:(]+$/, '')}…`;
}

const s1 = (s: number) => `${s.toFixed(1)} s`;

type NarrativeInput = Pick<VariantSummary, 'actions' | 'detections' | 'slos' | 'verdict' | 'warnings'>;

export function narrate(v: NarrativeInput): string[] {
  const lines: string[] = [];
  for (const a of v.actions) {
    const what = `#${a.index + 1} ${a.label}`;
    if (a.failedAtS !== null) lines.push(`At ${s1(a.failedAtS)}: ${what} failed: ${a.error ?? 'no error text'}`);
    else if (a.appliedAtS !== null) lines.push(`At ${s1(a.appliedAtS)}: ${what}${a.evidence ? ' (evidence below)' : ''}.`);
    else lines.push(`At ${a.at} s: ${what} was started but never confirmed.`);
  }
  for (const d of v.detections) {
    if (d.faultAtS === null) lines.push(`No fault matching the detection SLO "${d.slo}" occurred.`);
    else if (d.firedAtS === null) lines.push(`The fault first showed at ${s1(d.faultAtS)} and alert "${d.alert}" never fired: nobody would have been paged.`);
    else lines.push(`The fault first showed at ${s1(d.faultAtS)}; alert "${d.alert}" fired at ${s1(d.firedAtS)}, ${s1(d.seconds ?? d.firedAtS - d.faultAtS)} later.`);
  }
  for (const s of v.slos.filter((x) => x.status === 'fail')) lines.push(`Breached: ${s.title} (${s.detail}).`);
  const unknown = v.slos.filter((s) => s.status === 'unknown');
  if (unknown.length) lines.push(`No data for: ${unknown.map((s) => s.title).join(', ')}.`);
  const verdictText: Record<VariantSummary['verdict']['status'], string> = {
    reproduced: 'The incident was reproduced: every SLO it is expected to breach did breach.',
    rotted: 'The replay has rotted: the incident no longer breaches what it should, so this gate proves nothing until fixed.',
    held: 'The remediation held: every SLO passed.',
    broken: 'The remediation did not hold: at least one SLO breached.',
    inconclusive: 'Inconclusive: no SLO breached, but some had no data, so this is not a pass.',
  };
  lines.push(verdictText[v.verdict.status]);
  for (const w of v.warnings) lines.push(`Warning: ${w}.`);
  return lines.map((l) => clipLine(l));
}
