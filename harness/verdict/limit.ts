import type { EventOf } from '../history/events.ts';
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
  const q = obs.queues.find((l) => l.probe === slo.probe);
  if (q) return judgeQueue(slo, q);
  const m = obs.memoryFills.find((l) => l.probe === slo.probe);
  if (m) return judgeMemory(m, obs);
  const e = obs.limits.find((l) => l.probe === slo.probe);
  if (!e) return { value: null, detail: `no data: probe ${slo.probe} recorded no finding (it never reached its pod)` };
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

// A fallback pod's request limiter judged at its boundary: `maxConcurrent` served plus `queueLimit`
// waiting, and the next request refused. The probe sends its requests in order within one service
// period, so while nothing has left the limiter the count is exact: the requests it admitted before
// the first refusal, and the pod's own gauge of waiting requests read right after it (plus the
// served slots). As for the cap, the deviation is the smaller of the two (another client's request
// moves one count, an off-by-one limit both). When an admitted request was answered before the first
// refusal (or, with no refusal, before the last request was sent), requests had left the limiter
// during the fill: the limit was never reached at once and the finding is unknown. Queued requests must be served in arrival order: a request
// answered a half service period or more before one sent earlier overtook it (a LIFO queue serves
// the newest first; FIFO service leaves only same-batch jitter, well under half a period).

type QueueFinding = EventOf<'queue.checked'>;

export interface QueueCounts {
  limit: number;
  admitted: number;
  /** Index (send order) of the first request not admitted; undefined when all were. */
  firstRefused: number | undefined;
  refusal: string | undefined;
  admittedBeforeRefusal: number;
  /** When the first admitted request was answered, and when the last was sent (ms after the first send). */
  firstServedMs: number | undefined;
  lastSentMs: number;
  firstRefusedAnsweredMs: number | undefined;
  /** Admitted requests answered that much earlier than one sent before them. */
  overtook: number;
  /** Admitted (200) answers without the session's open frame. */
  brokenOpens: number;
}

const admittedReq = (r: QueueFinding['requests'][number]): boolean => r.status === 200;

export function queueCounts(e: QueueFinding): QueueCounts {
  const reqs = e.requests;
  const firstRefused = reqs.findIndex((r) => !admittedReq(r));
  const refusedReq = firstRefused >= 0 ? reqs[firstRefused] : undefined;
  const served = reqs.filter(admittedReq);
  const answered = served.map((r) => r.answeredMs).filter((x): x is number => x !== undefined);
  const slack = e.costMs / 2;
  let overtook = 0;
  let latestBefore = -Infinity;
  for (const r of served) {
    const at = r.answeredMs ?? Infinity;
    if (latestBefore > at + slack) overtook++;
    latestBefore = Math.max(latestBefore, at);
  }
  return {
    limit: e.maxConcurrent + e.queueLimit,
    admitted: served.length,
    firstRefused: firstRefused >= 0 ? firstRefused : undefined,
    refusal: refusedReq === undefined ? undefined : refusedReq.status === undefined ? 'no answer' : `http:${refusedReq.status}`,
    admittedBeforeRefusal: reqs.slice(0, firstRefused >= 0 ? firstRefused : reqs.length).filter(admittedReq).length,
    firstServedMs: answered.length > 0 ? Math.min(...answered) : undefined,
    lastSentMs: Math.max(0, ...reqs.map((r) => r.sentMs)),
    firstRefusedAnsweredMs: refusedReq?.answeredMs,
    overtook,
    brokenOpens: served.filter((r) => !r.opened).length,
  };
}

function judgeQueue(slo: LimitSlo, e: QueueFinding): LimitValue {
  const c = queueCounts(e);
  if (e.requests.length === 0) return { value: null, detail: `no data: fallback-queue probe ${slo.probe} sent nothing` };
  const server = Object.entries(e.refusedByServer).map(([r, n]) => `${n} ${r}`).join(', ') || 'none';
  const gauge = e.queuedAtRefusal === undefined ? '' : ` (the pod's gauge: ${e.maxConcurrent} served + ${e.queuedAtRefusal} waiting)`;
  const text =
    `${e.pod ?? e.deployment}: ${c.admittedBeforeRefusal} of ${e.requests.length} requests admitted before the first refusal${gauge}, ` +
    `limit ${e.maxConcurrent} + ${e.queueLimit} = ${c.limit}; refusal ${c.refusal ?? 'none'} (pod counted ${server}); ` +
    `${c.overtook} of ${c.admitted} admitted served ahead of an earlier one; ${e.working} of ${e.checked} admitted sessions received`;
  // Until the first refusal's answer (or the last send, with none) nothing may have left the limiter.
  const filledBy = c.firstRefused === undefined ? c.lastSentMs : (c.firstRefusedAnsweredMs ?? Infinity);
  if (c.firstServedMs !== undefined && c.firstServedMs <= filledBy) {
    const what = c.firstRefused === undefined ? 'the last was sent' : 'the first refusal';
    return { value: null, detail: `no data: the limit was never reached at once (an admitted request was answered at ${c.firstServedMs.toFixed(0)} ms, before ${what} at ${Number.isFinite(filledBy) ? filledBy.toFixed(0) : '?'} ms): ${text}` };
  }
  const deviation = Math.min(Math.abs(c.admittedBeforeRefusal - c.limit), e.queuedAtRefusal === undefined ? Infinity : Math.abs(e.maxConcurrent + e.queuedAtRefusal - c.limit));
  if (c.refusal === undefined) return { value: deviation, detail: `never refused: ${text}`, status: 'fail' };
  if (c.refusal !== slo.refusal) return { value: deviation, detail: `refused as ${c.refusal}, expected ${slo.refusal}: ${text}`, status: 'fail' };
  if (!(e.refusedByServer.fallback_queue! > 0)) return { value: deviation, detail: `the pod did not count the refusal as fallback_queue: ${text}`, status: 'fail' };
  if (c.brokenOpens > 0 || e.checked === 0 || e.working < e.checked) return { value: deviation, detail: `admitted sessions did not all work (${c.brokenOpens} answered without the open frame): ${text}`, status: 'fail' };
  if (c.overtook > 0) return { value: deviation, detail: `queue served out of arrival order: ${text}`, status: 'fail' };
  return { value: deviation, detail: text };
}

// A pod's memory limit judged at the connections it was sized for: the probe filled the pod to them
// and held them while the pod sampler read its working set. Fails on an OOM kill in the hold (or the
// two seconds after: the kernel's kill shows on the next sample) or a refusal before the planned
// count; unknown when the fill fell short for another reason or no sample fell in the hold. The
// value is the peak working set over the model's prediction for what the pod held (MiB).

type MemoryFinding = EventOf<'memory.checked'>;

const mib = (x: number): string => x.toFixed(1);

function judgeMemory(e: MemoryFinding, obs: Observation): LimitValue {
  const pod = e.pod ?? e.deployment;
  const reached = e.openBefore + e.admitted;
  if (e.refusal !== undefined) {
    return { value: null, detail: `${pod} refused (${e.refusal}) at ${reached} connections, before the ${e.sizedFor} its memory was sized for`, status: 'fail' };
  }
  if (reached < e.sizedFor) return { value: null, detail: `no data: the probe reached ${reached} of the ${e.sizedFor} connections ${pod} was sized for` };
  const from = Math.ceil(e.heldFromMs / 1000);
  const to = Math.floor(e.heldToMs / 1000);
  const where: Record<string, string> = e.pod === undefined ? { deployment: e.deployment } : { pod: e.pod };
  const oomKills = obs.metrics.counter('pod.oomKills', where).slice(Math.floor(e.heldFromMs / 1000), to + 3).reduce((a, b) => a + b, 0);
  const held = e.openAtEnd ?? reached;
  if (oomKills > 0) return { value: null, detail: `${pod} was OOM-killed holding ${held} connections, within the ${e.memoryMb} MiB sized for ${e.sizedFor}`, status: 'fail' };
  const samples = obs.metrics.gauge('pod.memoryMb', where).slice(from, to + 1).filter((v): v is number => v !== null);
  if (samples.length === 0) return { value: null, detail: `no data: no memory sample of ${pod} while it held ${held} connections (${mib(e.heldFromMs / 1000)}-${mib(e.heldToMs / 1000)} s)` };
  const peak = Math.max(...samples);
  const predicted = e.baseMb + held * e.perConnectionMb;
  const sizedFree = e.memoryMb - (e.baseMb + e.sizedFor * e.perConnectionMb);
  const value = Math.round((peak - predicted) * 10) / 10;
  return {
    value,
    detail:
      `${pod}: held ${held} connections (sized for ${e.sizedFor}) for ${mib((e.heldToMs - e.heldFromMs) / 1000)} s, no OOM kill; peak working set ${mib(peak)} MiB ` +
      `over ${samples.length} samples, the model predicts ${mib(predicted)} MiB (${value >= 0 ? '+' : ''}${mib(value)}); ${mib(e.memoryMb - peak)} of ${e.memoryMb} MiB left free, ` +
      `the sizing keeps ${mib(sizedFree)} MiB free at ${e.sizedFor}`,
  };
}
