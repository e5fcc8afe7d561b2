import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeContainers } from '../../platform/cleanup.ts';
import { resolveImages } from '../../platform/images.ts';
import { LABEL_RUN_ID } from '../../platform/labels.ts';
import { samplePod } from '../pod-sampler.ts';
import { startTopology, type StartedTopology, type TopologySpec } from '../topology.ts';

// One real topology per integration test file, started from the set-up's images with the tests'
// app credentials, and removed with its containers and scratch directory even when a test failed.

export const TEST_APP = { id: '1', key: 'harness-key', secret: 'harness-secret' } as const;

export type TestTopologySpec = Omit<TopologySpec, 'runId' | 'workDir' | 'images' | 'app'> & { app?: TopologySpec['app'] };

export interface TestTopology {
  /** The run id every container of this topology is labelled with. */
  readonly runId: string;
  start(spec: TestTopologySpec): Promise<StartedTopology>;
  /** Stops the topology (if it started), removes anything labelled with its run id and its scratch directory. */
  stop(): Promise<void>;
}

export function testTopology(name: string): TestTopology {
  const runId = `${name}-${randomUUID().slice(0, 8)}`;
  let workDir: string | undefined;
  let topo: StartedTopology | undefined;
  return {
    runId,
    async start(spec) {
      workDir = await mkdtemp(join(tmpdir(), `harness-${name}-`));
      const images = await resolveImages();
      topo = await startTopology({
        app: { ...TEST_APP },
        ...spec,
        runId,
        workDir,
        images: { node: images.node.ref, haproxy: images.haproxy.ref, redis: images.redis.ref, toxiproxy: images.toxiproxy.ref },
      });
      return topo;
    },
    async stop() {
      await topo?.stop().catch(() => undefined);
      await removeContainers({ [LABEL_RUN_ID]: runId });
      if (workDir) await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** WebSocket connections the pods of a deployment count themselves, summed. */
export async function wsConnectionsOn(topo: StartedTopology, deployment: string): Promise<number> {
  const samples = await Promise.all(topo.pods(deployment).map((p) => samplePod(p)));
  return samples.reduce((n, s) => n + ((s.type === 'pod.sample' && s.connections?.ws) || 0), 0);
}
