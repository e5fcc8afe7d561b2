/** Test helpers: in-process pods on free ports, closed by the caller. */
import { testConfig, type Env } from '../config/env.ts';
import { silentLogger } from '../log.ts';
import { startPod, type PodOptions, type StartedPod } from '../pod.ts';

export const APP = { id: '4242', key: 'test-key', secret: 'test-secret' };

export async function startTestPod(env: Env = {}, options: PodOptions = {}): Promise<StartedPod> {
  const config = testConfig({ APP_ID: APP.id, APP_KEY: APP.key, APP_SECRET: APP.secret, SHUTDOWN_GRACE_MS: '500', FALLBACK_DISCONNECT_DELAY_MS: '1000', ...env });
  return startPod(config, silentLogger, options);
}
