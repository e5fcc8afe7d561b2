import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureImage, resolveBinaryImage } from '../platform/images.ts';
import type { PodSpec } from '../topology/pod.ts';
import type { ServerRuntime } from '../topology/server-runtime.ts';
import type { PodMetricNames } from '../topology/pod-metrics.ts';
import type { ServerProfile } from './profile.ts';
import { sockudoBinaryPath, sockudoBinaryProblem } from './sockudo-binary.ts';
import { renderSockudoConfig } from './sockudo-config.ts';

/**
 * sockudo's Prometheus names (crate sockudo-metrics, prefix `sockudo_`) mapped onto ours. It has
 * only WebSocket clients. A connection refused at the pod cap is counted in
 * connection_errors_total{error_type="socket_handling_failed"}, together with other failures of a
 * socket's set-up: refusals by that reason are an upper bound, not an exact count.
 */
export const SOCKUDO_METRIC_NAMES: PodMetricNames = {
  connections: { metric: 'sockudo_connected' },
  // Its cap refusal counts as socket_handling_failed: read as ours (max_connections), an upper bound.
  refusals: { metric: 'sockudo_connection_errors_total', reasonLabel: 'error_type', asOurs: { socket_handling_failed: 'max_connections' } },
  messagesOut: { metric: 'sockudo_ws_messages_sent_total' },
};

const NUMERIC = /^\d+$/;

function sockudoRuntime(image: string, workDir: string): ServerRuntime {
  return {
    name: 'sockudo',
    separateMetricsPort: true,
    // /up checks the adapter, cache, queue and app manager: the pod takes traffic. /live: the process answers.
    readyPath: '/up',
    healthPath: '/live',
    metricsPath: '/metrics',
    metricNames: SOCKUDO_METRIC_NAMES,
    webhookDispatcher: false,
    // Reads the harness's pod settings (topology/topology.ts podSpecFor); the rest of the env are our server's.
    launch: async (spec: PodSpec) => {
      if (spec.metricsPort === undefined) throw new Error(`sockudo pod ${spec.name}: no metrics port was given`);
      const env = spec.env;
      const cap = env.MAX_CONNECTIONS;
      if (cap !== undefined && !NUMERIC.test(cap)) throw new Error(`sockudo pod ${spec.name}: MAX_CONNECTIONS=${cap} is not a whole number`);
      const config = renderSockudoConfig({
        podName: spec.name,
        port: spec.port,
        metricsPort: spec.metricsPort,
        app: { id: env.APP_ID ?? '', key: env.APP_KEY ?? '', secret: env.APP_SECRET ?? '' },
        ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
        ...(env.WEBHOOK_URL ? { webhookUrl: env.WEBHOOK_URL } : {}),
        ...(cap !== undefined && cap !== '0' ? { maxConnections: Number(cap) } : {}),
      });
      const dir = join(workDir, 'sockudo', spec.name);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
      return {
        image,
        command: ['sockudo', '--config', '/config/config.json'],
        env: {},
        mounts: [{ source: dir, target: '/config' }],
        // A config file sockudo cannot read is logged and replaced by its defaults (port 6001):
        // only the listener on this pod's port counts as ready.
        readyLog: new RegExp(`http server listening.*127\\.0\\.0\\.1:${spec.port}\\b`),
      };
    },
  };
}

/** The Rust server sockudo (crates.io), built from source by set-up: WebSocket and REST, no HTTP fallback. */
export const sockudoProfile: ServerProfile = {
  name: 'sockudo',
  title: 'sockudo 5.2.0 (Rust, crates.io)',
  capabilities: {
    transports: ['ws'],
    webhooks: ['ws'],
    connectionCap: true,
    redisAdapter: true,
    switches: [],
    ourVersions: false,
    readinessModes: ['shallow'],
    liveHeap: false,
  },
  // Over max_connections it completes the upgrade, sends pusher:error 4100 ("over capacity") and closes.
  capRefusal: 'close:4100',
  // The image itself is built on demand from the binary (ensureImage): only the binary can be missing.
  problem: async () => sockudoBinaryProblem(),
  ensureImage: async (log) => {
    const image = await resolveBinaryImage('sockudo', { source: sockudoBinaryPath, target: '/usr/local/bin/sockudo' }, 'run `bash scripts/build-sockudo.sh`');
    if ((await ensureImage(image)) === 'built') log(`  built image ${image.ref} from ${sockudoBinaryPath()}`);
    return image.ref;
  },
  runtime: sockudoRuntime,
};
