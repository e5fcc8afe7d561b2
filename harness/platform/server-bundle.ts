import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/** The server bundle the Node image runs; built by the set-up (`npm run server:build`). */
export const SERVER_BUNDLE_DIR = resolve(import.meta.dirname, '../../server-under-test/dist');

/** Names another bundle directory (e.g. a mutated server built in a temporary copy), leaving the checkout alone. */
export const SERVER_BUNDLE_ENV = 'HARNESS_SERVER_BUNDLE_DIR';

/** The directory mounted at /app in every pod: `$HARNESS_SERVER_BUNDLE_DIR` when set, else the checkout's. */
export function serverBundleDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[SERVER_BUNDLE_ENV] || SERVER_BUNDLE_DIR;
}

/** Why the bundle directory cannot be used, with the fix; undefined when it can. */
export function serverBundleProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = serverBundleDir(env);
  if (!env[SERVER_BUNDLE_ENV]) return existsSync(resolve(dir, 'server.mjs')) ? undefined : 'the server bundle is not built; run `npm run server:build`';
  // A bind mount needs an absolute host path; a relative one would be resolved by Docker, not by us.
  if (!isAbsolute(dir)) return `${SERVER_BUNDLE_ENV}=${dir} is not an absolute path; give the absolute path of a directory holding server.mjs`;
  if (!existsSync(resolve(dir, 'server.mjs'))) return `${SERVER_BUNDLE_ENV}=${dir} has no server.mjs; build one there (node <copy>/build.mjs) or unset ${SERVER_BUNDLE_ENV}`;
  return undefined;
}
