// What a kernel OOM kill of a sockudo pod does to its clients (docs/scenarios/oom-cascade.md): one
// pod under a small memory limit is filled with subscribed WebSocket clients until the kernel kills
// it; Docker must report the OOM kill, and every client must see its connection end abnormally.
import { describe, expect, it } from 'vitest';
import { APP } from '../load/app.ts';
import { connect, type CloseInfo } from '../load/pusher-client/index.ts';
import { prepareServer } from './prepare.ts';
import { sockudoProfile } from './sockudo.ts';
import { startStandalonePod } from './standalone-pod.ts';
import { standalonePodPerFile } from './testing/standalone-pod-fixture.ts';

/** About 19 MB of working set idle, and about 0.17 MB per subscribed connection (docs/servers.md). */
const MEMORY_MB = 40;
const MAX_CLIENTS = 1500;
const BATCH = 50;
const f = standalonePodPerFile('sockudo-oom', async (ctx) => startStandalonePod(await prepareServer(sockudoProfile, (l) => console.log(l)), { ...ctx, memoryMb: MEMORY_MB }));

describe('a sockudo pod OOM-killed by the kernel', () => {
  it('is reported OOM-killed, and every client it held sees an abnormal close', async () => {
    expect(f.pod.ready).toBe(true);
    const endpoint = { port: f.pod.spec.port };
    let refused = 0;
    for (let n = 0; n < MAX_CLIENTS && refused === 0 && (await f.pod.state()).running; n += BATCH) {
      const batch = await Promise.allSettled(
        Array.from({ length: BATCH }, async () => {
          const c = await connect({ endpoint, app: APP, transport: 'ws', timeoutMs: 5000 });
          f.open.push(c);
          await c.subscribe(`oom-${f.open.length % 20}`);
        }),
      );
      refused += batch.filter((b) => b.status === 'rejected').length;
    }
    const held = f.open.length;
    // The kill may still be landing: give Docker a moment to see the exit.
    for (let i = 0; i < 50 && (await f.pod.state()).running; i++) await new Promise((r) => setTimeout(r, 100));
    const state = await f.pod.state();
    expect({ running: state.running, oomKilled: state.oomKilled, exitCode: state.exitCode }).toEqual({ running: false, oomKilled: true, exitCode: 137 });
    expect(held).toBeGreaterThan(20);
    const closes = await Promise.all(f.open.map((c) => Promise.race([c.closed, new Promise<CloseInfo | undefined>((r) => setTimeout(() => r(undefined), 5000))])));
    const codes: Record<string, number> = {};
    for (const c of closes) codes[String(c?.code ?? 'still open')] = (codes[String(c?.code ?? 'still open')] ?? 0) + 1;
    console.log(`sockudo OOM kill at ${MEMORY_MB} MB: ${held} clients held, closes by code ${JSON.stringify(codes)}`);
    expect(codes['still open']).toBeUndefined();
    expect(Object.keys(codes)).toEqual(['1006']);
  });
});
