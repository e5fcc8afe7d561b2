// The 2020-01 replay on sockudo (docs/servers.md): the incident's cause is a code defect of our
// server (KEEPALIVE_DOUBLE_4XX), so only the remediated variant applies, and it is how to tell
// whether sockudo has the same defect: every REST response must belong to its request while every
// tenth publish is oversized, behind a keep-alive edge and straight to a pod.
import { describe, expect, it } from 'vitest';
import { BUILD_WAIT_MS } from '../harness/servers/prepare.ts';
import { replayInTest, slo } from './testing/replay.ts';

const TIMEOUT = BUILD_WAIT_MS + 300_000;

describe('keepalive-desync on sockudo', () => {
  it('remediated: responses stay aligned under oversized publishes; the 413s are real', async () => {
    const r = await replayInTest('keepalive-desync', 'remediated', { server: 'sockudo', timeoutMs: TIMEOUT });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('held');
    for (const s of r.summary.slos) expect(s.status, `${s.id}: ${s.detail}`).toBe('pass');
    expect(slo(r, 'responses-aligned').status).toBe('pass');
    // The oversized publishes were sent and refused (413), and no response answered another request.
    expect(r.summary.rest.byStatusClass['4xx']).toBeGreaterThan(20);
    expect(r.summary.rest.misaligned).toBe(0);
    // Nothing arrived unasked on any connection.
    expect(r.summary.evidence.wire.filter((w) => w.kind === 'unsolicited')).toEqual([]);
  }, TIMEOUT);
});
