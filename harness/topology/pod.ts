import { Wait, type StartedTestContainer } from 'testcontainers';
import { docker } from '../platform/docker.ts';
import { loggedContainerEvents } from './container-events.ts';
import { HarnessContainer, type RestartPolicyName } from './harness-container.ts';
import type { PodMetricsSource } from './pod-metrics.ts';
import type { ServerRuntime } from './server-runtime.ts';

export interface PodSpec {
  deployment: string;
  /** Unique within the run, e.g. "new-2". */
  name: string;
  port: number;
  /** The metrics port, for a server that serves them apart from its client port. */
  metricsPort?: number;
  /** The harness's settings of the pod (app credentials, Redis, webhooks, cap); a server profile renders them into its own configuration. */
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
    /** Which server runs in it: where it answers readiness, health and metrics. */
    readonly server: Pick<ServerRuntime, 'name' | 'readyPath' | 'healthPath' | 'metricsPath' | 'metricNames'>,
  ) {}

  get readyUrl(): string {
    return `${this.url}${this.server.readyPath}`;
  }

  get healthUrl(): string {
    return `${this.url}${this.server.healthPath}`;
  }

  get metrics(): PodMetricsSource {
    return { url: `http://127.0.0.1:${this.spec.metricsPort ?? this.spec.port}${this.server.metricsPath}`, names: this.server.metricNames };
  }

  get id(): string {
    return this.container.getId();
  }

  get url(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }

  private api() {
    return docker().then((d) => d.getContainer(this.id));
  }

  /**
   * Docker's view of the container. OOMKilled has a second witness: the OOM and the exit reach the
   * daemon as separate events, and the flag can miss a kill (a CI run saw exit 137 at the memory
   * limit with OOMKilled false). The daemon's event log keeps the `oom` event: a dead container with
   * exit 137 counts as OOM-killed when the log shows one since it last started.
   */
  async state(): Promise<PodState> {
    const info = await (await this.api()).inspect();
    const startedMs = Date.parse(info.State.StartedAt);
    const oomLogged =
      !info.State.OOMKilled && !info.State.Running && info.State.ExitCode === 137 && Number.isFinite(startedMs) && startedMs > 0
        ? (await loggedContainerEvents(this.id, ['oom'], startedMs)).has('oom')
        : false;
    return {
      running: info.State.Running,
      status: info.State.Status,
      exitCode: info.State.ExitCode,
      oomKilled: info.State.OOMKilled || oomLogged,
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

export async function startPod(opts: { server: ServerRuntime; runId: string; spec: PodSpec; startupTimeoutMs?: number }): Promise<StartedPod> {
  const { spec } = opts;
  const launch = await opts.server.launch(spec);
  const container = new HarnessContainer(launch.image, opts.runId, `pod:${spec.deployment}`)
    .withLabels({ 'io.incident-harness.deployment': spec.deployment, 'io.incident-harness.pod': spec.name, 'io.incident-harness.server': opts.server.name })
    .withBindMounts(launch.mounts.map((m) => ({ ...m, mode: 'ro' as const })))
    .withEnvironment(launch.env)
    .withCommand(launch.command)
    .withRestartPolicy(spec.restartPolicy)
    .withWaitStrategy(Wait.forLogMessage(new RegExp([launch.readyLog, launch.rejectedLog].filter((r) => r !== undefined).map((r) => r.source).join('|'))))
    .withStartupTimeout(opts.startupTimeoutMs ?? 30_000);
  if (spec.memoryMb) container.withMemoryLimitMb(spec.memoryMb);
  if (spec.cpus) container.withCpus(spec.cpus);
  const started = await container.start();
  const pod = new StartedPod(spec, started, false, opts.server);
  const logs = await pod.logs(200);
  return new StartedPod(spec, started, launch.readyLog.test(logs), opts.server);
}
