import type { ServerCapabilities } from '../plan/server-capabilities.ts';
import type { ServerRuntime } from '../topology/server-runtime.ts';

/**
 * A server the harness can replay postmortems against: how to get its image, how to start and read
 * one pod (its runtime), and what it can do (capabilities, checked against each variant at plan
 * time). One module per server in this folder; docs/servers.md explains them.
 */
export interface ServerProfile {
  /** As named on the command line: `--server <name>`. */
  readonly name: string;
  readonly title: string;
  readonly capabilities: ServerCapabilities;
  /**
   * How a client sees a connection refused at the pod's cap (a limit probe's `refusal`), when the
   * server's way differs from what a scenario expects of ours; e.g. `close:4100`.
   */
  readonly capRefusal?: string;
  /** What is missing before a run can use this server (binary, build, image), with its fix; undefined when ready. */
  problem(): Promise<string | undefined>;
  /** The image reference pods run, built if it is missing (its inputs must be there: see problem()). */
  ensureImage(log: (line: string) => void): Promise<string>;
  /** The pod runtime for one run; `workDir` holds rendered config files. */
  runtime(image: string, workDir: string): ServerRuntime;
}

export class ServerProfileError extends Error {
  readonly code = 'SERVER_PROFILE';
}
