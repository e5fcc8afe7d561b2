import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, SETUP_COMMAND, versions } from '../platform/paths.ts';

/** The sockudo binary scripts/build-sockudo.sh builds: versioned, outside the checkout, like k6. */
export function sockudoBinaryPath(): string {
  return process.env.HARNESS_SOCKUDO_BIN || join(sockudoToolDir(), 'sockudo');
}

function sockudoToolDir(): string {
  return join(cacheDir(), 'tools', `sockudo-${versions.sockudo.version}`);
}

/** What the build says of itself: `building since ...`, `done ...` or `failed: <reason>`; undefined before any build. */
export function sockudoBuildStatus(): string | undefined {
  try {
    return readFileSync(`${sockudoToolDir()}.status`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A build whose status says `building` but whose process is gone stopped without finishing. */
function buildAlive(status: string): boolean {
  const pid = /\(pid (\d+)\)/.exec(status)?.[1];
  if (pid === undefined) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

/** Undefined when the binary is there; else what is going on and what to do. */
export function sockudoBinaryProblem(): string | undefined {
  const bin = sockudoBinaryPath();
  if (existsSync(bin)) return undefined;
  const status = sockudoBuildStatus();
  if (status?.startsWith('building') && !buildAlive(status)) return `the sockudo build stopped without finishing (${status}); run \`bash scripts/build-sockudo.sh\``;
  if (status?.startsWith('building')) return `sockudo ${versions.sockudo.version} is still being built (${status}); wait for it or run \`bash scripts/build-sockudo.sh\` to wait in the foreground`;
  if (status?.startsWith('failed')) return `the sockudo build ${status}; log: ${join(cacheDir(), 'logs', 'sockudo-build.log')}; fix it and run \`bash scripts/build-sockudo.sh\``;
  return `sockudo ${versions.sockudo.version} is not built (${bin} is missing); run \`${SETUP_COMMAND}\` (it builds sockudo in the background, 12-15 min on 2 cores) or \`bash scripts/build-sockudo.sh\``;
}

/**
 * Waits for a background build (started by set-up) to leave the binary, printing a progress line
 * every `progressEveryMs`; throws with the build's own reason when it failed or when `timeoutMs` passes.
 */
export async function waitForSockudoBinary(opts: { timeoutMs: number; log: (line: string) => void; progressEveryMs?: number }): Promise<string> {
  const started = Date.now();
  let lastProgress = started;
  for (;;) {
    const problem = sockudoBinaryProblem();
    if (problem === undefined) return sockudoBinaryPath();
    const status = sockudoBuildStatus();
    const building = status !== undefined && status.startsWith('building') && buildAlive(status);
    if (!building) throw new Error(problem);
    if (Date.now() - started > opts.timeoutMs) throw new Error(`waited ${Math.round(opts.timeoutMs / 1000)} s for the sockudo build and it is not done: ${problem}`);
    if (Date.now() - lastProgress >= (opts.progressEveryMs ?? 30_000)) {
      lastProgress = Date.now();
      opts.log(`  waiting for the sockudo build (${Math.round((Date.now() - started) / 1000)} s so far): ${sockudoBuildStatus()}`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}
