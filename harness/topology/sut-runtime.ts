import { serverBundleDir, serverBundleProblem } from '../platform/server-bundle.ts';
import { SUT_METRIC_NAMES } from './pod-metrics.ts';
import { PodStartError, type PodSpec } from './pod.ts';
import type { ServerRuntime } from './server-runtime.ts';

/** Our server (server-under-test/): the Node image runs the bundle mounted at /app, configured by environment. */
export function sutRuntime(image: string): ServerRuntime {
  return {
    name: 'sut',
    separateMetricsPort: false,
    readyPath: '/readyz',
    healthPath: '/healthz',
    metricsPath: '/metrics',
    metricNames: SUT_METRIC_NAMES,
    webhookDispatcher: true,
    launch: async (spec: PodSpec) => {
      const bundleProblem = serverBundleProblem();
      if (bundleProblem) throw new PodStartError(bundleProblem);
      const mounts = [{ source: serverBundleDir(), target: '/app' }];
      if (spec.configDir) mounts.push({ source: spec.configDir, target: '/config' });
      return {
        image,
        command: ['node', '/app/server.mjs'],
        env: { ...spec.env, HOST: '127.0.0.1', PORT: String(spec.port), POD_NAME: spec.name },
        mounts,
        readyLog: /"msg":"ready"/,
        rejectedLog: /"msg":"config rejected"/,
      };
    },
  };
}
