// One pod of a server profile for a test file: started before its tests (waiting, bounded, for a
// background build of the server), removed after them with every container of its run, the clients
// the tests opened and its scratch directory.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { PusherConnection } from '../../load/pusher-client/index.ts';
import { removeContainers } from '../../platform/cleanup.ts';
import { applyHarnessEnv } from '../../platform/env.ts';
import { LABEL_RUN_ID } from '../../platform/labels.ts';
import type { StartedPod } from '../../topology/pod.ts';
import { BUILD_WAIT_MS } from '../prepare.ts';

export interface StandalonePodFixture {
  /** Set once the file's beforeAll has run. */
  readonly pod: StartedPod;
  /** Clients a test opened: closed after the file. */
  readonly open: PusherConnection[];
}

export function standalonePodPerFile(name: string, start: (ctx: { runId: string; workDir: string }) => Promise<StartedPod>): StandalonePodFixture {
  applyHarnessEnv();
  const runId = `${name}-${randomUUID().slice(0, 8)}`;
  const open: PusherConnection[] = [];
  let pod: StartedPod | undefined;
  let workDir: string | undefined;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), `harness-${name}-`));
    pod = await start({ runId, workDir });
  }, BUILD_WAIT_MS + 120_000);
  afterAll(async () => {
    for (const c of open) c.close();
    await pod?.remove();
    await removeContainers({ [LABEL_RUN_ID]: runId });
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });
  return {
    get pod(): StartedPod {
      if (!pod) throw new Error(`${name}: the pod has not started (beforeAll failed)`);
      return pod;
    },
    open,
  };
}
