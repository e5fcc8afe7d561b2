import { getContainerRuntimeClient } from 'testcontainers';
import type Dockerode from 'dockerode';
import { applyHarnessEnv } from './env.ts';

let client: Promise<Dockerode> | undefined;

/** The Docker API client testcontainers already configured (one connection for the whole process). */
export function docker(): Promise<Dockerode> {
  applyHarnessEnv();
  client ??= getContainerRuntimeClient().then((c) => c.container.dockerode);
  return client;
}
