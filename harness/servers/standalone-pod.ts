import { APP } from '../load/app.ts';
import { freePort } from '../platform/ports.ts';
import { startPod, type StartedPod } from '../topology/pod.ts';
import type { PreparedServer } from './prepare.ts';

/**
 * One pod of a server alone (no edge, no Redis unless given): for checks that talk to a server
 * directly, such as protocol conformance. The caller removes it (`pod.remove()`).
 */
export async function startStandalonePod(
  server: PreparedServer,
  opts: { runId: string; workDir: string; name?: string; maxConnections?: number; redisUrl?: string; webhookUrl?: string; memoryMb?: number },
): Promise<StartedPod> {
  const runtime = server.runtime(opts.workDir);
  const name = opts.name ?? `${server.name}-1`;
  return startPod({
    server: runtime,
    runId: opts.runId,
    spec: {
      deployment: server.name,
      name,
      port: await freePort(),
      ...(runtime.separateMetricsPort ? { metricsPort: await freePort() } : {}),
      env: {
        APP_ID: APP.id,
        APP_KEY: APP.key,
        APP_SECRET: APP.secret,
        // Our server sends webhooks from its dispatcher role; a pod alone needs it to send any.
        ROLES: opts.webhookUrl ? 'ws,fallback,rest,webhook-dispatcher' : 'ws,fallback,rest',
        ...(opts.maxConnections !== undefined ? { MAX_CONNECTIONS: String(opts.maxConnections) } : {}),
        ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
        ...(opts.webhookUrl ? { WEBHOOK_URL: opts.webhookUrl } : {}),
      },
      ...(opts.memoryMb ? { memoryMb: opts.memoryMb } : {}),
      restartPolicy: 'no',
    },
  });
}
