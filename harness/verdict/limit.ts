import type { Observation } from '../metrics/fold.ts';
import type { Slo } from '../scenario/schema.ts';
import type { Status } from './types.ts';

// A connection cap judged at its boundary: the pod must refuse at the configured value, for the
// stated reason, and what it admitted must still work. Where the pod stood at the first refusal is
// counted two ways: open before + admitted by the probe, and the pod's own gauge right after the
// refusal. The deviation from the limit is the smaller of the two, so another client connecting or
// leaving while the probe fills the pod moves one count and not the other, and an off-by-one cap
// moves both (the threshold states the tolerance). A check that never ran is unknown; one that found no refusal,
// another reason, or a dead admitted connection fails whatever the count.

type LimitSlo = Extract<Slo, { kind: 'limit' }>;

export interface LimitValue {
  value: number | null;
  detail: string;
  /** Set when the finding fails regardless of the threshold. */
  status?: Status;
}

export function judgeLimit(slo: LimitSlo, obs: Observation): LimitValue {
  const e = obs.limits.find((l) => l.probe === slo.probe);
  if (!e) return { value: null, detail: `no data: cap probe ${slo.probe} recorded no finding (it never reached its pod)` };
  const reached = e.openBefore + e.admitted;
  const server = Object.entries(e.refusedByServer).map(([r, n]) => `${n} ${r}`).join(', ') || 'none';
  const text = `${e.pod ?? e.deployment}: ${e.openBefore} open before + ${e.admitted} admitted = ${reached} at the first refusal${e.openAfter === undefined ? '' : ` (the pod's gauge: ${e.openAfter})`}, limit ${e.limit}; refusal ${e.refusal ?? 'none'} (pod counted ${server}); ${e.working} of ${e.checked} admitted connections received`;
  const deviation = Math.min(Math.abs(reached - e.limit), e.openAfter === undefined ? Infinity : Math.abs(e.openAfter - e.limit));
  if (e.refusal === undefined) return { value: deviation, detail: `never refused: ${text}`, status: 'fail' };
  if (e.refusal !== slo.refusal) return { value: deviation, detail: `refused as ${e.refusal}, expected ${slo.refusal}: ${text}`, status: 'fail' };
  if (!(e.refusedByServer.max_connections! > 0)) return { value: deviation, detail: `the pod did not count the refusal as max_connections: ${text}`, status: 'fail' };
  if (e.checked === 0 || e.working < e.checked) return { value: deviation, detail: `admitted connections did not all work: ${text}`, status: 'fail' };
  return { value: deviation, detail: text };
}
