import { dirname } from 'node:path';
import { toolPath } from './paths.ts';

/**
 * The environment the harness needs, set by the harness itself (not only by CI):
 * no Ryuk and no image pulls from testcontainers, and a k6 that never calls out.
 */
export const HARNESS_ENV: Readonly<Record<string, string>> = {
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  K6_NO_USAGE_REPORT: 'true',
  K6_AUTO_EXTENSION_RESOLUTION: 'false',
};

export function applyHarnessEnv(env: NodeJS.ProcessEnv = process.env): void {
  for (const [key, value] of Object.entries(HARNESS_ENV)) env[key] = value;
  const k6Dir = dirname(toolPath('k6'));
  if (!(env.PATH ?? '').split(':').includes(k6Dir)) env.PATH = `${k6Dir}:${env.PATH ?? ''}`;
}
