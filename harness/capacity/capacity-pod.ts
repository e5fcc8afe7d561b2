import { freePort } from '../platform/ports.ts';
import { APP } from '../load/app.ts';
import type { Teardown } from '../platform/teardown.ts';
import { startPod, type StartedPod } from '../topology/pod.ts';
import { sutRuntime } from '../topology/sut-runtime.ts';

export interface CapacityPodSpec {
  /** e.g. `ws-96mb`: unique within a capacity run. */
  name: string;
  roles: string;
  memoryMb: number;
  cpus: number;
  retainedBytesPerConnection: number;
}

/**
 * One pod of the server under test at a given size, alone (standalone state, no edge): the unit a
 * breakpoint measures. No restart policy: an OOM kill must stay visible as the end of the run.
 */
export async function startCapacityPod(spec: CapacityPodSpec, ctx: { image: string; runId: string; teardown: Teardown }): Promise<StartedPod> {
  const port = await freePort();
  const pod = await startPod({
    server: sutRuntime(ctx.image),
    runId: ctx.runId,
    spec: {
      deployment: 'capacity',
      name: spec.name,
      port,
      env: {
        ROLES: spec.roles,
        APP_ID: APP.id,
        APP_KEY: APP.key,
        APP_SECRET: APP.secret,
        RETAINED_BYTES_PER_CONNECTION: String(spec.retainedBytesPerConnection),
        LOG_LEVEL: 'warn',
      },
      memoryMb: spec.memoryMb,
      cpus: spec.cpus,
      restartPolicy: 'no',
    },
  });
  ctx.teardown.add(`remove pod ${spec.name}`, () => pod.remove());
  if (!pod.ready) {
    const logs = await pod.logs(10).catch(() => '');
    await pod.remove();
    throw new Error(`capacity pod ${spec.name} did not become ready; last log lines:\n${logs}`);
  }
  return pod;
}
