import { describe, expect, it } from 'vitest';
import { leftoverContainers, replayInTest, slo, type ReplayResult } from './testing/replay.ts';

// Each variant through the real CLI (containers, HAProxy, k6, the `pusher` npm client), judged on
// the summary.json it wrote; the history is read for the mechanism's evidence.
const run = (variant: string) => replayInTest('keepalive-desync', variant);

type Response = { type: 'rest.response'; probe: string; id: string; status: number; expected: string; got: string };
async function responses(r: ReplayResult, probe: string): Promise<Response[]> {
  return (await r.history()).filter((e): e is Response => e.type === 'rest.response' && e.probe === probe);
}
const wire = (r: ReplayResult, probe: string) => r.summary.evidence.wire.filter((w) => w.probe === probe);
// One response's raw bytes: the oversized publish's 413.
const OVERSIZED_413 = /HTTP\/1\.1 413 Payload Too Large[^]*Event data too large/;
const oversized413s = (w: { responses: { raw: string }[] }): number => w.responses.filter((x) => OVERSIZED_413.test(x.raw)).length;

describe('keepalive-desync', () => {
  it('incident: after a 413 on a kept-alive connection, responses answer other requests; the copy is on the wire', async () => {
    const r = await run('incident');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('reproduced');
    for (const id of ['responses-aligned', 'valid-4xx', 'k6-unexpected']) expect(slo(r, id).status).toBe('fail');
    expect(slo(r, 'rest-5xx').status).toBe('pass');

    // The `pusher` client through the edge: a valid trigger or channel query reads a 413.
    const viaPusher = await responses(r, 'edge-pusher');
    expect(viaPusher.some((x) => x.expected.startsWith('200') && x.got === '413 too-large')).toBe(true);
    // Straight to a new pod: every later response is shifted, e.g. a channel query reads a publish's answer.
    const direct = await responses(r, 'new-direct');
    expect(direct.some((x) => x.expected === '200 channel-info' && x.got === '200 published')).toBe(true);

    // Duplicated bytes: on the pod's own wire, a response no request asked for, right after the 413 it copies.
    const unsolicited = wire(r, 'new-direct').filter((w) => w.kind === 'unsolicited');
    expect(unsolicited.length).toBeGreaterThan(0);
    expect(oversized413s(unsolicited[0]!)).toBeGreaterThanOrEqual(2);
    // Through the edge: the request after the 413 carried the same 413 body.
    const edge = wire(r, 'edge-raw').find((w) => w.kind === 'misaligned' && w.expected?.startsWith('200 ') && w.got === '413 too-large');
    expect(edge).toBeDefined();
    expect(oversized413s(edge!)).toBeGreaterThanOrEqual(1);
    expect(await leftoverContainers()).toBe(0);
  });

  it('masked: the same defect behind an edge that closes server connections after each response stays green', async () => {
    const r = await run('masked');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('held');
    // The defect was there and was exercised: 413s were answered, the new pods run with the switch on.
    expect(r.summary.rest.byStatusClass['4xx']).toBeGreaterThan(20);
    expect(r.summary.rest.misaligned).toBe(0);
    const finals = r.summary.evidence.pods.filter((p) => p.deployment === 'new');
    expect(finals.length).toBe(2);
    for (const f of finals) expect(f.tail.join('\n')).toContain('"keepaliveDouble4xx":true');
  });

  it('remediated: the fixed server behind the keep-alive edge answers every request with its own response', async () => {
    const r = await run('remediated');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('held');
    expect(r.summary.rest.misaligned).toBe(0);
    expect(wire(r, 'new-direct')).toEqual([]);
  });

  it('rollback: on the alert, traffic goes back to the old instances and alignment returns at once', async () => {
    const r = await run('rollback');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('held');
    // The incident did happen before the roll-back...
    expect(r.summary.rest.misaligned).toBeGreaterThan(0);
    expect(r.summary.alerts.map((a) => a.alert)).toContain('rest-misaligned');
    // ...the roll-back waited for the alert, then moved every request to old.
    const rollback = r.summary.actions.find((a) => a.index === 3);
    expect(rollback?.evidence).toMatchObject({ shifted: true, readBack: { 'public/rest': { old: 100 } } });
    expect(slo(r, 'rollback-restores').status).toBe('pass');
  });
});
