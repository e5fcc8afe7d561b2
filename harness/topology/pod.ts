import { Wait, type StartedTestContainer } from 'testcontainers';
import { docker } from '../platform/docker.ts';
import { serverBundleDir, serverBundleProblem } from '../platform/server-bundle.ts';
import { HarnessContainer, type RestartPolicyName } from './harness-container.ts';

export interface PodSpec {
  deployment: string;
  /** Unique within the run, e.g. "new-2". */
  name: string;
  port: number;
  env: Record<string, string>;
  memoryMb?: number;
  cpus?: number;
  restartPolicy: RestartPolicyName;
  /** Host directory holding the pod's config version, mounted at /config. */
  configDir?: string;
}

export interface PodState {
  running: boolean;
  status: string;
  exitCode: number;
  oomKilled: boolean;
  restartCount: number;
  startedAt: string;
  finishedAt: string;
}

export class PodStartError extends Error {
  readonly code = 'POD_START_FAILED';
}

/** A started pod of the server under test: one container, addressed on 127.0.0.1:<port>. */
export class StartedPod {
  constructor(
    readonly spec: PodSpec,
    readonly container: StartedTestContainer,
    /** False when the server refused to start (e.g. a config it rejects): the container has exited. */
    readonly ready: boolean,
  ) {}

  get id(): string {
    return this.container.getId();
  }

  get url(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }

  private api() {
    return docker().then((d) => d.getContainer(this.id));
  }

  async state(): Promise<PodState> {
    const info = await (await this.api()).inspect();
    return {
      running: info.State.Running,
      status: info.State.Status,
      exitCode: info.State.ExitCode,
      oomKilled: info.State.OOMKilled,
      restartCount: info.RestartCount,
      startedAt: info.State.StartedAt,
      finishedAt: info.State.FinishedAt,
    };
  }

  async kill(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    await (await this.api()).kill({ signal });
  }

  async restart(): Promise<void> {
    await (await this.api()).restart({ t: 2 });
  }

  async pause(): Promise<void> {
    await (await this.api()).pause();
  }

  async unpause(): Promise<void> {
    await (await this.api()).unpause();
  }

  async logs(tail = 50): Promise<string> {
    const buf = await (await this.api()).logs({ stdout: true, stderr: true, tail });
    // Docker multiplexes stdout/stderr with 8-byte frame headers; strip them for reading.
    return demux(buf as unknown as Buffer);
  }

  async remove(): Promise<void> {
    await this.container.stop({ remove: true, timeout: 0 }).catch(() => undefined);
  }

  /** Stops the way a deploy does: SIGTERM (the server drains), SIGKILL after `graceMs`; then removed. */
  async stopGracefully(graceMs: number): Promise<void> {
    await this.container.stop({ remove: true, timeout: graceMs }).catch(() => undefined);
  }

  /** The environment the container really runs with (docker inspect), for evidence. */
  async runningEnv(): Promise<Record<string, string>> {
    const info = await (await this.api()).inspect();
    return Object.fromEntries((info.Config.Env ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  }
}

function demux(buf: Buffer): string {
  const parts: string[] = [];
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
    const len = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + len).toString('utf8'));
    i += 8 + len;
  }
  return i === 0 ? buf.toString('utf8') : parts.join('');
}

const READY = /"msg":"ready"/;
const REJECTED = /"msg":"config rejected"/;

export async function startPod(opts: { image: string; runId: string; spec: PodSpec; startupTimeoutMs?: number }): Promise<StartedPod> {
  const bundleProblem = serverBundleProblem();
  if (bundleProblem) throw new PodStartError(bundleProblem);
  const { spec } = opts;
  const mounts = [{ source: serverBundleDir(), target: '/app', mode: 'ro' as const }];
  if (spec.configDir) mounts.push({ source: spec.configDir, target: '/config', mode: 'ro' as const });
  const container = new HarnessContainer(opts.image, opts.runId, `pod:${spec.deployment}`)
    .withLabels({ 'io.incident-harness.deployment': spec.deployment, 'io.incident-harness.pod': spec.name })
    .withBindMounts(mounts)
    .withEnvironment({ ...spec.env, HOST: '127.0.0.1', PORT: String(spec.port), POD_NAME: spec.name })
    .withCommand(['node', '/app/server.mjs'])
    .withRestartPolicy(spec.restartPolicy)
    .withWaitStrategy(Wait.forLogMessage(new RegExp(`${READY.source}|${REJECTED.source}`)))
    .withStartupTimeout(opts.startupTimeoutMs ?? 30_000);
  if (spec.memoryMb) container.withMemoryLimitMb(spec.memoryMb);
  if (spec.cpus) container.withCpus(spec.cpus);
  const started = await container.start();
  const pod = new StartedPod(spec, started, false);
  const logs = await pod.logs(200);
  return new StartedPod(spec, started, READY.test(logs));
}
