import type { ServerRuntime } from '../topology/server-runtime.ts';
import type { ServerProfile } from './profile.ts';
import { ServerProfileError } from './profile.ts';
import { sockudoBuildStatus, waitForSockudoBinary } from './sockudo-binary.ts';

/** A server ready for runs: its image is there; `runtime` gives the pod runtime of one run. */
export interface PreparedServer {
  name: string;
  profile: ServerProfile;
  image: string;
  runtime(workDir: string): ServerRuntime;
}

/** How long a run waits for a sockudo build set-up started in the background (it takes 12-15 min on 2 cores). */
export const BUILD_WAIT_MS = 25 * 60_000;

/**
 * Everything a server needs before its first pod: a build still running is waited for (bounded,
 * with progress lines), anything else missing is refused with its fix; then its image is built if needed.
 */
export async function prepareServer(profile: ServerProfile, log: (line: string) => void, buildWaitMs = BUILD_WAIT_MS): Promise<PreparedServer> {
  let problem = await profile.problem();
  if (problem && profile.name === 'sockudo' && sockudoBuildStatus()?.startsWith('building')) {
    log(`  sockudo is being built in the background; waiting for it (at most ${Math.round(buildWaitMs / 60_000)} min)`);
    await waitForSockudoBinary({ timeoutMs: buildWaitMs, log });
    problem = await profile.problem();
  }
  if (problem) throw new ServerProfileError(`server ${profile.name}: ${problem}`);
  const image = await profile.ensureImage(log);
  return { name: profile.name, profile, image, runtime: (workDir) => profile.runtime(image, workDir) };
}
