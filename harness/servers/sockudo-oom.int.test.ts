// What a kernel OOM kill of a sockudo pod does to its clients (docs/scenarios/oom-cascade.md): one
// pod under a small memory limit is filled with subscribed WebSocket clients until the kernel kills
// it; Docker must report the OOM kill, and every client must see its connection end abnormally.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP } from '../load/app.ts';
import { connect, type CloseInfo, type PusherConnection } from '../load/pusher-client/index.ts';
import { removeContainers } from '../platform/cleanup.ts';
import { applyHarnessEnv } from '../platform/env.ts';
import { LABEL_RUN_ID } from '../platform/labels.ts';
import type { StartedPod } from '../topology/pod.ts';
import { BUILD_WAIT_MS, prepareServer } from './prepare.ts';
import { sockudoProfile } from './sockudo.ts';
import { startStandalonePod } from './standalone-pod.ts';

applyHarnessEnv();
const runId = `sockudo-oom-${randomUUID().slice(0, 8)}`;
/** About 19 MB of working set idle, and about 0.17 MB per subscribed connection (docs/servers.md). */
const MEMORY_MB = 40;
const MAX_CLIENTS = 1500;
const BATCH = 50;
let pod: StartedPod;
let workDir: string;
const open: PusherConnection[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'harness-sockudo-oom-'));
  const server = await prepareServer(sockudoProfile, (l) => console.log(l));
  pod = await startStandalonePod(server, { runId, workDir, memoryMb: MEMORY_MB });
}, BUILD_WAIT_MS + 120_000);

afterAll(async () => {
  for (const c of open) c.close();
  await pod?.remove();
  await removeContainers({ [LABEL_RUN_ID]: runId });
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('a sockudo pod OOM-killed by the kernel', () => {
  it('is reported OOM-killed, and every client it held sees an abnormal close', async () => {
    expect(pod.ready).toBe(true);
    const endpoint = { port: pod.spec.port };
    let refused = 0;
    for (let n = 0; n < MAX_CLIENTS && refused === 0 && (await pod.state()).running; n += BATCH) {
      const batch = await Promise.allSettled(
        Array.from({ length: BATCH }, async () => {
          const c = await connect({ endpoint, app: APP, transport: 'ws', timeoutMs: 5000 });
          open.push(c);
          await c.subscribe(`oom-${open.length % 20}`);
        }),
      );
      refused += batch.filter((b) => b.status === 'rejected').length;
    }
    const held = open.length;
    // The kill may still be landing: give Docker a moment to see the exit.
    for (let i = 0; i < 50 && (await pod.state()).running; i++) await new Promise((r) => setTimeout(r, 100));
    const state = await pod.state();
    expect({ running: state.running, oomKilled: state.oomKilled, exitCode: state.exitCode }).toEqual({ running: false, oomKilled: true, exitCode: 137 });
    expect(held).toBeGreaterThan(20);
    const closes = await Promise.all(open.map((c) => Promise.race([c.closed, new Promise<CloseInfo | undefined>((r) => setTimeout(() => r(undefined), 5000))])));
    const codes: Record<string, number> = {};
    for (const c of closes) codes[String(c?.code ?? 'still open')] = (codes[String(c?.code ?? 'still open')] ?? 0) + 1;
    console.log(`sockudo OOM kill at ${MEMORY_MB} MB: ${held} clients held, closes by code ${JSON.stringify(codes)}`);
    expect(codes['still open']).toBeUndefined();
    expect(Object.keys(codes)).toEqual(['1006']);
  });
});
