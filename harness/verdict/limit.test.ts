import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyEventSchema, type EventOf, type HistoryEvent } from '../history/events.ts';
import { observeSync } from '../metrics/fold.ts';
import type { Slo } from '../scenario/schema.ts';
import { queueCounts } from './limit.ts';
import { judgeSlo } from './slo.ts';

// A per-pod cap judged at its boundary, on constructed cap-probe findings.

const slo: Slo = { id: 'cap', title: 't', why: 'w', kind: 'limit', probe: 'c', refusal: 'close:1006', threshold: 'value<=2', window: undefined };
const finding = (over: Partial<EventOf<'limit.checked'>> = {}): HistoryEvent[] => [
  { type: 'limit.checked', t: 3000, probe: 'c', deployment: 'new', pod: 'new-1', transport: 'ws', limit: 1000, openBefore: 1, admitted: 999, refusal: 'close:1006', refusedByServer: { max_connections: 50 }, checked: 3, working: 3, ...over },
  { type: 'run.phase', t: 10_000, phase: 'teardown' },
];
const judge = (over: Partial<EventOf<'limit.checked'>> = {}) => judgeSlo(slo, observeSync(finding(over)), []);

describe('limit SLO', () => {
  it('passes when the pod refuses exactly at its cap, for the stated reason, and admitted connections work', () => {
    const r = judge();
    expect(r).toMatchObject({ status: 'pass', value: 0 });
    expect(r.detail).toBe('new-1: 1 open before + 999 admitted = 1000 at the first refusal, limit 1000; refusal close:1006 (pod counted 50 max_connections); 3 of 3 admitted connections received');
  });

  it('within the stated tolerance passes; a cap enforced earlier or later than it fails', () => {
    expect(judge({ admitted: 997 })).toMatchObject({ status: 'pass', value: 2 });
    expect(judge({ admitted: 989 })).toMatchObject({ status: 'fail', value: 10 });
    expect(judge({ admitted: 1010 })).toMatchObject({ status: 'fail', value: 11 });
  });

  it("counts the pod's own gauge too: another client moving one count is no breach, an off-by-one cap moves both and is", () => {
    const exact: Slo = { ...slo, threshold: 'value<=0' } as Slo;
    const judgeExact = (over: Partial<EventOf<'limit.checked'>>) => judgeSlo(exact, observeSync(finding(over)), []);
    // A subscriber reconnected onto the pod while the probe filled it: the probe got one fewer, the pod was at its cap.
    expect(judgeExact({ admitted: 998, openAfter: 1000 })).toMatchObject({ status: 'pass', value: 0 });
    // A cap enforced one below its value (the pod refuses the 1000th): both counts say 999.
    const early = judgeExact({ admitted: 998, openAfter: 999 });
    expect(early).toMatchObject({ status: 'fail', value: 1 });
    expect(early.detail).toContain("= 999 at the first refusal (the pod's gauge: 999), limit 1000");
  });

  it('fails when the pod never refused, refused for another reason, or did not count it as max_connections', () => {
    expect(judge({ refusal: undefined, admitted: 1049 })).toMatchObject({ status: 'fail' });
    const other = judge({ refusal: 'close:4100' });
    expect(other.status).toBe('fail');
    expect(other.detail).toMatch(/^refused as close:4100, expected close:1006/);
    expect(judge({ refusedByServer: { draining: 50 } })).toMatchObject({ status: 'fail' });
  });

  it('fails when an admitted connection no longer receives', () => {
    const r = judge({ working: 2 });
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/^admitted connections did not all work/);
  });

  it('a check that never ran is unknown', () => {
    const r = judgeSlo(slo, observeSync([{ type: 'run.phase', t: 10_000, phase: 'teardown' }]), []);
    expect(r).toMatchObject({ status: 'unknown', value: null });
  });
});

// A fallback pod's request limiter judged at its boundary, on constructed fallback-queue findings:
// 4 served + 12 waiting, 200 ms per request, 22 requests sent within a few ms.

const queueSlo: Slo = { id: 'q', title: 't', why: 'w', kind: 'limit', probe: 'q', refusal: 'http:503', threshold: 'value<=0', window: undefined };
type QueueRequest = EventOf<'queue.checked'>['requests'][number];
/** Request i (send order) answered in service batch `batch(i)` (1-based), 200 ms apart; refused ones at once. */
function requests(admitted: number, total: number, batch: (i: number) => number): QueueRequest[] {
  return Array.from({ length: total }, (_, i) =>
    i < admitted
      ? { sentMs: i * 0.2, answeredMs: batch(i) * 200 + i * 0.1, status: 200, opened: true }
      : { sentMs: i * 0.2, answeredMs: 6 + i * 0.1, status: 503, opened: false },
  );
}
const fifo = (i: number) => Math.floor(i / 4) + 1;
const queueFinding = (over: Partial<EventOf<'queue.checked'>> = {}): HistoryEvent[] => [
  {
    type: 'queue.checked',
    t: 3000,
    probe: 'q',
    deployment: 'fallback',
    pod: 'fallback-2',
    transport: 'xhr_polling',
    maxConcurrent: 4,
    queueLimit: 12,
    costMs: 200,
    requests: requests(16, 22, fifo),
    queuedAtRefusal: 12,
    refusedByServer: { fallback_queue: 6 },
    checked: 3,
    working: 3,
    ...over,
  },
  { type: 'run.phase', t: 10_000, phase: 'teardown' },
];
const judgeQueue = (over: Partial<EventOf<'queue.checked'>> = {}, s: Slo = queueSlo) => judgeSlo(s, observeSync(queueFinding(over)), []);

describe('limit SLO on a fallback queue', () => {
  it('passes when the pod admits exactly served + waiting, refuses the next with 503, serves in order, and admitted sessions receive', () => {
    const r = judgeQueue();
    expect(r).toMatchObject({ status: 'pass', value: 0 });
    expect(r.detail).toBe(
      "fallback-2: 16 of 22 requests admitted before the first refusal (the pod's gauge: 4 served + 12 waiting), limit 4 + 12 = 16; refusal http:503 " +
        '(pod counted 6 fallback_queue); 0 of 16 admitted served ahead of an earlier one; 3 of 3 admitted sessions received',
    );
  });

  it('counts the pod\'s gauge too: another client\'s request moves one count, a limit one off moves both', () => {
    // Another client held a slot: the probe got one fewer, the pod's gauge was at its limit.
    expect(judgeQueue({ requests: requests(15, 22, fifo) })).toMatchObject({ status: 'pass', value: 0 });
    // The queue refuses one early: both counts say 15.
    expect(judgeQueue({ requests: requests(15, 22, fifo), queuedAtRefusal: 11 })).toMatchObject({ status: 'fail', value: 1 });
    // Without the gauge the probe's own count stands alone.
    expect(judgeQueue({ requests: requests(17, 22, fifo), queuedAtRefusal: undefined })).toMatchObject({ status: 'fail', value: 1 });
  });

  it('a queue served newest first fails on order, whatever the count', () => {
    // Batch 1 served at once; then LIFO: 12..15 second, 8..11 third, 4..7 last.
    const lifo = (i: number) => (i < 4 ? 1 : 5 - Math.floor((i - 4) / 4));
    const r = judgeQueue({ requests: requests(16, 22, lifo) });
    expect(r.status).toBe('fail');
    expect(r.value).toBe(0);
    expect(r.detail).toMatch(/^queue served out of arrival order: .*; 8 of 16 admitted served ahead of an earlier one/);
  });

  it('same-batch jitter is not disorder: an answer less than half a service period early is in order', () => {
    const jitter = requests(16, 22, fifo).map((r, i) => (i === 8 ? { ...r, answeredMs: r.answeredMs! + 90 } : r));
    expect(judgeQueue({ requests: jitter })).toMatchObject({ status: 'pass' });
  });

  it('fails when it never refused, refused another way, the pod did not count it, or an admitted session does not work', () => {
    expect(judgeQueue({ requests: requests(22, 22, fifo), queuedAtRefusal: undefined }).detail).toMatch(/^never refused/);
    const other = requests(16, 22, fifo).map((r) => (r.status === 503 ? { ...r, status: 500 } : r));
    expect(judgeQueue({ requests: other }).detail).toMatch(/^refused as http:500, expected http:503/);
    expect(judgeQueue({ refusedByServer: { fallback_sessions: 6 } }).detail).toMatch(/^the pod did not count the refusal as fallback_queue/);
    expect(judgeQueue({ working: 2 })).toMatchObject({ status: 'fail' });
    const noOpen = requests(16, 22, fifo).map((r, i) => (i === 3 ? { ...r, opened: false } : r));
    expect(judgeQueue({ requests: noOpen }).detail).toMatch(/^admitted sessions did not all work \(1 answered without the open frame\)/);
  });

  it('is unknown when requests left the limiter before it was full (the limit was never reached at once), or when nothing was recorded', () => {
    // A slow fill: the first admitted answer came before the first refusal was answered.
    const slow = requests(16, 22, fifo).map((r) => (r.status === 503 ? { ...r, answeredMs: 250 } : r));
    const r = judgeQueue({ requests: slow });
    expect(r).toMatchObject({ status: 'unknown', value: null });
    expect(r.detail).toMatch(/^no data: the limit was never reached at once \(an admitted request was answered at 200 ms, before the first refusal at 250 ms\)/);
    // No refusal and the last request sent after the first answer: nothing says where the limit is.
    const trickle = requests(22, 22, fifo).map((r, i) => ({ ...r, sentMs: i * 20 }));
    expect(judgeQueue({ requests: trickle, queuedAtRefusal: undefined })).toMatchObject({ status: 'unknown' });
    expect(judgeSlo(queueSlo, observeSync([{ type: 'run.phase', t: 10_000, phase: 'teardown' }]), [])).toMatchObject({ status: 'unknown', value: null });
  });
});

// A pod's memory size judged at the connections it was sized for: the fill event and the pod
// sampler's readings around it (158 connections sized into 216 MiB by a fit of 17.5 MiB + 1 MiB each).

const memorySlo: Slo = { id: 'm', title: 't', why: 'w', kind: 'limit', probe: 'm', threshold: 'value<=6', window: undefined };
const sample = (tS: number, memoryMb: number, state: 'running' | 'oomKilled' = 'running'): HistoryEvent => ({
  type: 'pod.sample',
  t: tS * 1000,
  deployment: 'new',
  pod: 'new-1',
  state,
  ready: state === 'running',
  restarts: 0,
  memoryMb,
  connections: { ws: 158 },
});
const memoryFill = (over: Partial<EventOf<'memory.checked'>> = {}): HistoryEvent => ({
  type: 'memory.checked',
  t: 5000,
  probe: 'm',
  deployment: 'new',
  pod: 'new-1',
  transport: 'ws',
  sizedFor: 158,
  memoryMb: 216,
  baseMb: 17.5,
  perConnectionMb: 1,
  openBefore: 0,
  admitted: 158,
  openAtEnd: 160,
  heldFromMs: 1500,
  heldToMs: 4600,
  ...over,
});
const judgeMemory = (events: HistoryEvent[]) => judgeSlo(memorySlo, observeSync([...events, { type: 'run.phase', t: 10_000, phase: 'teardown' }]), []);

describe('limit SLO on a memory size', () => {
  it('passes when the pod holds what it was sized for near the model, the planned headroom free', () => {
    const r = judgeMemory([sample(1, 60), sample(2, 176), sample(3, 180.5), sample(4, 178), memoryFill()]);
    // 160 held (two clients arrived): the model predicts 177.5 MiB; the peak in the hold (2-4 s) is 180.5.
    expect(r).toMatchObject({ status: 'pass', value: 3 });
    expect(r.detail).toBe(
      'new-1: held 160 connections (sized for 158) for 3.1 s, no OOM kill; peak working set 180.5 MiB over 3 samples, the model predicts 177.5 MiB (+3.0); ' +
        '35.5 of 216 MiB left free, the sizing keeps 40.5 MiB free at 158',
    );
  });

  it('fails when the pod uses more than the model says (the headroom is not there), is OOM-killed, or refuses early', () => {
    expect(judgeMemory([sample(2, 190), sample(3, 195), memoryFill()])).toMatchObject({ status: 'fail', value: 17.5 });
    const killed = judgeMemory([sample(2, 176), sample(4, 0, 'oomKilled'), memoryFill()]);
    expect(killed.status).toBe('fail');
    expect(killed.detail).toMatch(/^new-1 was OOM-killed holding 160 connections/);
    const refused = judgeMemory([sample(2, 120), memoryFill({ admitted: 100, refusal: 'close:1006', openAtEnd: 100 })]);
    expect(refused.status).toBe('fail');
    expect(refused.detail).toBe('new-1 refused (close:1006) at 100 connections, before the 158 its memory was sized for');
  });

  it('is unknown without a sample in the hold, when the fill fell short, or without a finding', () => {
    expect(judgeMemory([sample(1, 60), memoryFill()])).toMatchObject({ status: 'unknown', value: null });
    expect(judgeMemory([sample(2, 120), sample(3, 120), memoryFill({ admitted: 100, openAtEnd: 100 })]).detail).toMatch(/^no data: the probe reached 100 of the 158/);
    expect(judgeMemory([sample(2, 120)])).toMatchObject({ status: 'unknown', value: null });
  });
});

// The same verdicts on findings recorded by real replays (limit-findings.ndjson: the queue.checked of
// connection-limit/remediated, the memory.checked of oom-cascade/remediated with its pod's samples).

const recordedFindings = (): HistoryEvent[] =>
  readFileSync(join(import.meta.dirname, 'fixtures', 'limit-findings.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => historyEventSchema.parse(JSON.parse(l)));
const recordedQueue = (): EventOf<'queue.checked'> => recordedFindings().find((e): e is EventOf<'queue.checked'> => e.type === 'queue.checked')!;
const judgeRecordedQueue = (q: EventOf<'queue.checked'>) =>
  judgeSlo({ ...queueSlo, probe: q.probe }, observeSync([q, { type: 'run.phase', t: 80_000, phase: 'teardown' }]), []);

describe('limit SLO on recorded findings', () => {
  it('the recorded fallback fill: 48 of 56 admitted at 8 + 40, in batches of 8 a service period apart, passes', () => {
    const q = recordedQueue();
    expect(q.requests).toHaveLength(56);
    expect(queueCounts(q)).toMatchObject({ limit: 48, admittedBeforeRefusal: 48, refusal: 'http:503', overtook: 0 });
    expect(judgeRecordedQueue(q)).toMatchObject({ status: 'pass', value: 0 });
  });

  it('the same answers handed out newest first (the LIFO limiter) fail on order', () => {
    const q = recordedQueue();
    const admitted = q.requests.filter((r) => r.status === 200);
    // Keep the recorded answer times, but give the first batch to the first 8 and every later batch to the newest waiting.
    const times = admitted.map((r) => r.answeredMs!).sort((a, b) => a - b);
    const order = [...admitted.keys()].slice(0, 8).concat([...admitted.keys()].slice(8).reverse());
    const lifo = q.requests.map((r) => ({ ...r }));
    order.forEach((idx, k) => (lifo[idx]!.answeredMs = times[k]));
    const r = judgeRecordedQueue({ ...q, requests: lifo });
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/^queue served out of arrival order: .*; 32 of 48 admitted served ahead of an earlier one/);
  });

  it('the recorded fill, had a request left the limiter before the refusal, is unknown', () => {
    const q = recordedQueue();
    const slow = q.requests.map((r) => (r.status === 503 ? { ...r, answeredMs: 250 } : r));
    expect(judgeRecordedQueue({ ...q, requests: slow })).toMatchObject({ status: 'unknown', value: null });
  });

  it('the recorded memory fill: 161 held within 2 MiB of the model, no OOM kill, passes; without its samples, unknown', () => {
    const events = recordedFindings().filter((e) => e.type !== 'queue.checked');
    const slo: Slo = { ...memorySlo, probe: 'new-memory' };
    const r = judgeSlo(slo, observeSync([...events, { type: 'run.phase', t: 70_000, phase: 'teardown' }]), []);
    expect(r.status).toBe('pass');
    expect(r.value).toBeCloseTo(-1.8, 1);
    expect(r.detail).toMatch(/^new-1: held 161 connections \(sized for 158\) for 3\.0 s, no OOM kill; peak working set 176\.5 MiB over 3 samples/);
    const noSamples = judgeSlo(slo, observeSync([...events.filter((e) => e.type !== 'pod.sample'), { type: 'run.phase', t: 70_000, phase: 'teardown' }]), []);
    expect(noSamples).toMatchObject({ status: 'unknown', value: null });
  });
});
