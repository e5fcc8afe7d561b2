import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { getContainerRuntimeClient } from 'testcontainers';
import type Dockerode from 'dockerode';
import { applyHarnessEnv } from './env.ts';

export interface ConfiguredEngine {
  /** e.g. unix:///run/other.sock or tcp://127.0.0.1:2375 */
  uri: string;
  /** Where it was set, named in messages. */
  source: string;
}

/** `key=value` lines of ~/.testcontainers.properties (testcontainers' own settings file). */
function testcontainersProperties(): Record<string, string> {
  const file = join(homedir(), '.testcontainers.properties');
  if (!existsSync(file)) return {};
  const props: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([^#!=\s][^=]*?)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m) props[m[1]!] = m[2]!;
  }
  return props;
}

/**
 * The engine the user asked for, in testcontainers' order (tc.host, then DOCKER_HOST, then
 * docker.host in ~/.testcontainers.properties), or undefined for the default socket.
 */
export function configuredEngine(env: NodeJS.ProcessEnv = process.env, props: Record<string, string> = testcontainersProperties()): ConfiguredEngine | undefined {
  if (props['tc.host']) return { uri: props['tc.host'], source: 'tc.host in ~/.testcontainers.properties' };
  if (env.DOCKER_HOST) return { uri: env.DOCKER_HOST, source: 'DOCKER_HOST' };
  if (props['docker.host']) return { uri: props['docker.host'], source: 'docker.host in ~/.testcontainers.properties' };
  return undefined;
}

/** A short name of the engine in use, stored with each run so recovery asks the same engine. */
export function engineName(): string {
  return configuredEngine()?.uri ?? 'default';
}

/** The environment for the `docker` CLI: the same engine as the API client, wherever it was set. */
export function dockerCliEnv(): NodeJS.ProcessEnv {
  const engine = configuredEngine();
  return engine ? { ...process.env, DOCKER_HOST: engine.uri } : { ...process.env };
}

interface Modem {
  socketPath?: string;
  host?: string;
  port?: number | string;
}

function sameEngine(modem: Modem, uri: string): boolean {
  const url = new URL(uri);
  if (url.hostname === '') return modem.socketPath === url.pathname;
  return modem.host === url.hostname && String(modem.port ?? '') === url.port;
}

let client: Promise<Dockerode> | undefined;

/**
 * The Docker API client testcontainers configured (one connection for the whole process). When an
 * engine is configured and does not answer, testcontainers quietly falls back to the default socket:
 * that would start (or remove) containers on the wrong engine, so it is an error here.
 */
export function docker(): Promise<Dockerode> {
  applyHarnessEnv();
  client ??= (async () => {
    const engine = configuredEngine();
    const where = engine ? ` at ${engine.uri} (${engine.source})` : '';
    const runtime = await getContainerRuntimeClient().catch((err: unknown) => {
      throw new Error(`no Docker engine answers${where}: ${(err as Error).message}`);
    });
    const api = runtime.container.dockerode;
    if (engine && !sameEngine(api.modem as Modem, engine.uri)) {
      throw new Error(`no Docker engine answers${where}; refusing to use the default socket instead. Start that engine, or unset ${engine.source.split(' ')[0]} to use the default one`);
    }
    return api;
  })();
  client.catch(() => (client = undefined));
  return client;
}
