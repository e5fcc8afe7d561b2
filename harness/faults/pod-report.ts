import type { POD_OUTCOMES } from '../history/evidence-events.ts';
import { sleep } from '../load/timing.ts';
import type { StartedPod } from '../topology/pod.ts';
import { podGet } from '../topology/pod-http.ts';
import type { FaultContext } from './fault.ts';
import { pollUntil } from './targets.ts';

/** What one pod of a deploy ended up as, read back from the pod and from Docker. */
export interface PodReport {
  pod: string;
  /**
   * `up`: running and ready; `refused`: the server would not start (exit code and its log line);
   * `not-ready`: running but never answered ready; `skipped-locked`: another deploy's lock was
   * honoured; `unchanged`: already ran the release.
   */
  outcome: (typeof POD_OUTCOMES)[number];
  /** What the pod itself says it runs (GET /healthz). */
  version?: string;
  configVersion?: string;
  exitCode?: number;
  /** The pod's own log line saying why it refused. */
  logLine?: string;
  lockedBy?: string;
}

interface Health {
  version?: string;
  configVersion?: string;
}

async function getJson(url: string): Promise<{ status: number; body: unknown } | undefined> {
  const res = await podGet(url, 1000);
  if (!res) return undefined;
  try {
    return { status: res.status, body: JSON.parse(res.body) as unknown };
  } catch {
    return { status: res.status, body: undefined };
  }
}

/** The release a running pod reports, or undefined when it does not answer. */
export async function podRelease(pod: StartedPod): Promise<{ version: string; configVersion: string } | undefined> {
  const h = await getJson(`${pod.url}/healthz`);
  const body = h?.status === 200 ? (h.body as Health) : undefined;
  return body?.version ? { version: body.version, configVersion: body.configVersion ?? 'none' } : undefined;
}

/**
 * After a pod was (re)started: waits up to `readyTimeoutMs` for /readyz, then reads its version back;
 * a pod that never logged "ready" is reported with its exit code and the log line that says why.
 */
export async function reportPod(pod: StartedPod, readyTimeoutMs = 5000, signal?: AbortSignal): Promise<PodReport> {
  const name = pod.spec.name;
  if (pod.ready) {
    const deadline = Date.now() + readyTimeoutMs;
    let ready = false;
    while (!ready && Date.now() < deadline && !signal?.aborted) {
      ready = (await getJson(pod.readyUrl))?.status === 200;
      if (!ready) await sleep(100, signal);
    }
    const release = await podRelease(pod);
    return { pod: name, outcome: ready ? 'up' : 'not-ready', ...(release ?? {}) };
  }
  // The refusal is logged just before the process exits: wait for Docker to see the exit code.
  const state = await pollUntil(() => pod.state().catch(() => undefined), (s) => !s?.running, 5000, signal);
  const logs = await pod.logs(50).catch(() => '');
  const lines = logs.trim().split('\n');
  const why = lines.filter((l) => l.includes('"msg":"config rejected"')).at(-1) ?? lines.at(-1) ?? '';
  return { pod: name, outcome: 'refused', ...(state ? { exitCode: state.exitCode } : {}), logLine: why.trim() };
}

/** One line for the history and the report: "ap2-1: up, v2 / config 2" or "... refused (exit 78): ...". */
export function describePodReport(r: PodReport): string {
  switch (r.outcome) {
    case 'up':
    case 'unchanged':
      return `${r.pod}: ${r.outcome}, ${r.version} / config ${r.configVersion}`;
    case 'refused':
      return `${r.pod}: refused to start (exit ${r.exitCode ?? '?'}): ${reasonOf(r.logLine)}`;
    case 'not-ready':
      return `${r.pod}: running but not ready`;
    case 'skipped-locked':
      return `${r.pod}: skipped, locked by ${r.lockedBy}`;
  }
}

/** The `reason` field of a JSON log line (without its list of alternatives), else the line itself. */
function reasonOf(line: string | undefined): string {
  try {
    const parsed = JSON.parse(line ?? '') as { reason?: string };
    return parsed.reason?.replace(/ \(known: [^)]*\)/, '') ?? line ?? '';
  } catch {
    return line ?? '';
  }
}

/** Records what one pod of a deploy ended up as (deploy.pod), and returns the report. */
export function recordDeployPod(ctx: FaultContext, deploy: string, deployment: string, r: PodReport): PodReport {
  ctx.history.record({ type: 'deploy.pod', deploy, deployment, ...r });
  return r;
}
