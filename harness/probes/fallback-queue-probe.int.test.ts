import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MemoryHistory } from '../history/memory-history.ts';
import type { EventOf } from '../history/events.ts';
import { startServerProcess, TEST_APP, eventually, type ServerProcess } from '../load/testing/server-process.ts';
import { prepareMutant } from '../mutation/mutant-build.ts';
import { listMutations, selectMutations } from '../mutation/mutation-patches.ts';
import { observeSync } from '../metrics/fold.ts';
import type { Slo } from '../scenario/schema.ts';
import { judgeSlo } from '../verdict/slo.ts';
import { queueCounts } from '../verdict/limit.ts';
import { startFallbackQueueProbe } from './fallback-queue-probe.ts';
import type { ProbeContext, StartedProbe } from './probe.ts';

// The fallback-queue check on a real pod (the server as a process): the unmodified limiter passes,
// the LIFO limiter of mutation 08 fails on order, and a queue limit one below what the probe was
// told fails on the count.

const LIMITS = { maxConcurrent: 4, queueLimit: 12, costMs: 200 };
const env = (queueLimit = LIMITS.queueLimit) => ({
  FALLBACK_MAX_CONCURRENT: String(LIMITS.maxConcurrent),
  FALLBACK_QUEUE_LIMIT: String(queueLimit),
  FALLBACK_REQUEST_COST_MS: String(LIMITS.costMs),
});
const slo: Slo = { id: 'q', title: 't', why: 'w', kind: 'limit', probe: 'q', refusal: 'http:503', threshold: 'value<=0', window: undefined };

const servers: ServerProcess[] = [];
const probes: StartedProbe[] = [];
let work: string | undefined;
afterEach(async () => {
  await Promise.all(probes.splice(0).map((p) => p.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function check(s: ServerProcess): Promise<{ finding: EventOf<'queue.checked'>; history: MemoryHistory }> {
  servers.push(s);
  const history = new MemoryHistory();
  const endpoint = { port: s.port, deployment: 'fb', pod: s.pod };
  const ctx: ProbeContext = { history, app: TEST_APP, targets: { edge: { port: s.port }, podOf: () => undefined, sparePodOf: (d) => (d === 'fb' ? endpoint : undefined) }, maxDurationS: 30 };
  const p = startFallbackQueueProbe({ kind: 'fallback-queue', id: 'q', deployment: 'fb', ...LIMITS, atS: 0, extra: 6 }, ctx);
  probes.push(p);
  const found = () => history.list().find((e): e is EventOf<'queue.checked'> => e.type === 'queue.checked');
  expect(await eventually(() => found() !== undefined, 20_000)).toBe(true);
  await p.stop();
  probes.length = 0;
  return { finding: found()!, history };
}

const judge = (h: MemoryHistory) => judgeSlo(slo, observeSync(h.list()), []);

describe('fallback-queue probe', () => {
  it('the pod serves 4, queues 12 and refuses the 17th with 503, in arrival order; admitted sessions receive', async () => {
    const { finding, history } = await check(await startServerProcess(env()));
    expect(finding.requests.length).toBe(22);
    const c = queueCounts(finding);
    expect(c).toMatchObject({ limit: 16, admitted: 16, firstRefused: 16, admittedBeforeRefusal: 16, refusal: 'http:503', overtook: 0, brokenOpens: 0 });
    expect(finding.requests.slice(16).every((r) => r.status === 503)).toBe(true);
    expect(finding.queuedAtRefusal).toBe(12);
    expect(finding.refusedByServer.fallback_queue).toBe(6);
    expect(finding).toMatchObject({ checked: 3, working: 3 });
    // Service in batches of 4, a service period apart: the last batch about 4 periods after the first send.
    const answered = finding.requests.slice(0, 16).map((r) => r.answeredMs!);
    expect(Math.min(...answered)).toBeGreaterThanOrEqual(LIMITS.costMs * 0.9);
    expect(Math.max(...answered)).toBeGreaterThanOrEqual(LIMITS.costMs * 3.9);
    const r = judge(history);
    expect(r).toMatchObject({ status: 'pass', value: 0 });
    expect(r.detail).toMatch(/16 of 22 requests admitted before the first refusal \(the pod's gauge: 4 served \+ 12 waiting\), limit 4 \+ 12 = 16; refusal http:503/);
  });

  it('mutation 08 (the limiter serves the newest waiting request first) fails on order, not on the count', async () => {
    work = await mkdtemp(join(tmpdir(), 'queue-probe-'));
    const [lifo] = selectMutations(listMutations(), ['08']);
    expect(lifo?.id).toBe('08-fallback-limiter-lifo');
    const mutant = await prepareMutant(lifo!, work);
    const { finding, history } = await check(await startServerProcess(env(), 30_000, join(mutant.dir, 'src/main.ts')));
    const c = queueCounts(finding);
    expect(c).toMatchObject({ admittedBeforeRefusal: 16, refusal: 'http:503' });
    // Batches 2-4 run newest first: the 8 served second and third each overtook an earlier request.
    expect(c.overtook).toBeGreaterThanOrEqual(8);
    const r = judge(history);
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/^queue served out of arrival order/);
  });

  it('a queue that refuses one early fails on the count', async () => {
    const { history, finding } = await check(await startServerProcess(env(LIMITS.queueLimit - 1)));
    expect(queueCounts(finding).admittedBeforeRefusal).toBe(15);
    expect(judge(history)).toMatchObject({ status: 'fail', value: 1 });
  });
});
