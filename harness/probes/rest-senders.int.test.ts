import { afterEach, describe, expect, it } from 'vitest';
import { MemoryHistory } from '../history/memory-history.ts';
import type { EventOf } from '../history/events.ts';
import { eventually, startServerProcess, TEST_APP, type ServerProcess } from '../load/testing/server-process.ts';
import { startRestProbe, type StartedRestProbe } from './rest-probe.ts';

// The REST probe driven by the real `pusher` npm client on a keep-alive agent (client: 'pusher').
const servers: ServerProcess[] = [];
const probes: StartedRestProbe[] = [];
afterEach(async () => {
  await Promise.all(probes.splice(0).map((p) => p.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function responses(env: Record<string, string>): Promise<EventOf<'rest.response'>[]> {
  const s = await startServerProcess(env);
  servers.push(s);
  const h = new MemoryHistory();
  const p = startRestProbe(
    { kind: 'rest', id: 'pz', ratePerS: 25, keepAlive: true, oversizedEvery: 3, mix: ['publish', 'channel-info'], client: 'pusher' },
    { history: h, app: TEST_APP, targets: { edge: { port: s.port }, podOf: () => undefined }, maxDurationS: 30 },
  );
  probes.push(p);
  const got = () => h.list().filter((e): e is EventOf<'rest.response'> => e.type === 'rest.response');
  expect(await eventually(() => got().length >= 12, 15_000)).toBe(true);
  await p.stop();
  probes.length = 0;
  return got();
}

describe('rest probe with the pusher client', () => {
  it('healthy server: triggers answer 200, channel queries their channel, oversized triggers 413', async () => {
    const r = await responses({});
    expect(r.filter((x) => x.expected !== x.got)).toEqual([]);
    expect(r.map((x) => x.got)).toContain('413 too-large');
    expect(r.map((x) => x.got)).toContain('200 channel-info');
  });

  it('KEEPALIVE_DOUBLE_4XX=true: the request after a 413 reads the copy, so a valid request sees a 4XX', async () => {
    const r = await responses({ KEEPALIVE_DOUBLE_4XX: 'true' });
    // Request 4 (a channel query) follows the first oversized trigger (request 3) on the same socket.
    expect(r.find((x) => x.id === 'pz-4')).toMatchObject({ expected: '200 channel-info', got: '413 too-large', status: 413 });
  });
});
