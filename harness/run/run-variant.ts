import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FaultState } from '../faults/fault-state.ts';
import { PendingHeals } from '../faults/heals.ts';
import { FileHistory } from '../history/file-history.ts';
import { ObservedHistory } from '../history/observed-history.ts';
import { MetricsFold } from '../metrics/fold.ts';
import { foldOptionsFor } from '../verdict/judge.ts';
import { LiveConditionEvaluator, timelineMatchers } from './live-conditions.ts';
import { liveStatus } from './progress.ts';
import { HISTORY_FILE } from '../history/ndjson.ts';
import type { ImageName } from '../platform/images.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { podCounters } from '../topology/pod-counters.ts';
import { startPodSampler } from '../topology/pod-sampler.ts';
import { startSupervisor } from '../topology/supervisor.ts';
import { startTopology, type StartedTopology } from '../topology/topology.ts';
import type { ServerRuntime } from '../topology/server-runtime.ts';
import { sleep } from '../load/timing.ts';
import { Teardown } from '../platform/teardown.ts';
import { runTimeline } from './timeline.ts';
import { planTopology } from './topology-plan.ts';
import { prepareWorkload } from './workload.ts';
import { saveScenario } from '../plan/saved-scenario.ts';
import { noteRunDir } from '../platform/run-registry.ts';
import { phaseHook } from '../platform/phase-hook.ts';
import { throwIfInterrupted } from '../platform/interrupts.ts';
import { markInterrupted } from '../platform/run-dir-marker.ts';
import { creationGate } from '../platform/creation-gate.ts';

export interface RunVariantOptions {
  images: Record<ImageName, string>;
  /** Parent of the run directories: `<outRoot>/<scenario>/<run-id>/`. */
  outRoot: string;
  seed?: number;
  log: (line: string) => void;
  /** The caller's teardown (signal handlers point at it); the run adds its steps. */
  teardown: Teardown;
  /** The server the pods run (a profile of harness/servers/); default our own. */
  server?: RunServer;
}

/** A server profile as a run uses it: its name and its pod runtime for the run's work directory. */
export interface RunServer {
  name: string;
  runtime(workDir: string): ServerRuntime;
}

export interface CompletedRun {
  runId: string;
  runDir: string;
  historyFile: string;
  scenario: ResolvedScenario;
  seed: number;
}

export function makeRunId(scenario: ResolvedScenario, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${scenario.id}-${scenario.variant}-${stamp}`;
}

/**
 * One variant, start to finish: topology up → history from replay-second 0 → sampler, supervisor,
 * probes and load → the timeline → the rest of `durationS` → everything stopped and removed.
 * The run directory is written as `<id>.partial` and renamed only when the replay completed, so an
 * interrupted or failed run never leaves something that looks like a report.
 */
export async function runVariant(scenario: ResolvedScenario, runId: string, opts: RunVariantOptions): Promise<CompletedRun> {
  const seed = opts.seed ?? scenario.seed;
  const finalDir = join(opts.outRoot, scenario.id, runId);
  const partialDir = `${finalDir}.partial`;
  const { teardown, log } = opts;
  let completed = false;
  throwIfInterrupted(`${scenario.id}/${scenario.variant}`);
  // On record and in the teardown before it exists, so no interrupt or crash can orphan it.
  noteRunDir(partialDir);
  teardown.add('remove unfinished run directory', async () => {
    if (!completed) await rm(partialDir, { recursive: true, force: true });
    // Interrupted or failed while judging or writing reports: the history is whole, the reports may
    // not be (markInterrupted leaves a directory with every report alone).
    else await markInterrupted(finalDir, creationGate.closedSignal ?? 'the command failed before every report was written');
  });
  await mkdir(partialDir, { recursive: true });
  await saveScenario(partialDir, scenario);

  log(`▶ ${scenario.id}/${scenario.variant}: starting topology (${scenario.topology.deployments.map((d) => `${d.name}×${d.replicas}`).join(', ')})`);
  const workDir = join(partialDir, 'work');
  const server = opts.server && opts.server.name !== 'sut' ? opts.server : undefined;
  const spec = planTopology(scenario, { runId, workDir, images: opts.images as never, ...(server ? { server: server.runtime(workDir) } : {}) });
  let topology: StartedTopology | undefined;
  teardown.add('stop topology', () => topology?.stop());
  const prepared = await prepareWorkload(scenario, { seed, log });
  teardown.add('dispose workload', () => prepared.dispose());
  spec.webhookUrl = prepared.webhookUrl;
  topology = await startTopology(spec);
  const notReady = topology.pods().filter((p) => !p.ready && p.spec.deployment !== 'webhook-dispatcher');
  if (notReady.length) log(`  note: ${notReady.map((p) => p.spec.name).join(', ')} did not become ready`);

  const historyFile = join(partialDir, HISTORY_FILE);
  const history = new ObservedHistory(new FileHistory(historyFile));
  teardown.add('close history', () => history.close());
  // The live view: the same fold the verdict uses, fed as events happen, for gates, wait.until and
  // the progress line. Its memory grows with seconds x series, like the verdict's.
  const foldOptions = foldOptionsFor(scenario);
  const live = new MetricsFold({ ...foldOptions, matchers: [...(foldOptions.matchers ?? []), ...timelineMatchers(scenario.timeline)] });
  history.subscribe((e) => live.add(e));
  const conditions = new LiveConditionEvaluator({ fold: live, now: () => history.now(), alerts: scenario.alerts, topology: () => topology });
  history.record({ type: 'run.meta', runId, scenarioId: scenario.id, variant: scenario.variant, seed, startedAt: new Date().toISOString(), ...(server ? { server: server.name } : {}) });
  history.record({ type: 'run.phase', phase: 'steady', note: 'topology up; load and probes starting' });

  const sampler = startPodSampler({ history, pods: () => topology!.pods() });
  teardown.add('stop pod sampler', () => sampler.stop());
  const livenessOf = new Map(spec.deployments.map((d) => [d.name, d.liveness]));
  const supervisor = startSupervisor({ history, pods: () => topology!.pods(), probeFor: (p) => livenessOf.get(p.spec.deployment) });
  teardown.add('stop supervisor', () => supervisor.stop());

  const abort = new AbortController();
  teardown.add('abort timeline', () => abort.abort());
  const workload = await prepared.start({ topology, history, signal: abort.signal });
  teardown.add('stop load and probes', () => workload.stop());

  const progress = setInterval(() => log(`  t=${(history.now() / 1000).toFixed(0)}s ${liveStatus(live.live.metrics, history.now())}; ${workload.status()}`), 5000);
  teardown.add('stop progress', () => clearInterval(progress));

  await phaseHook('replay');
  const heals = new PendingHeals();
  teardown.add('heal faults', () => heals.healAll());
  const state = new FaultState(topology.spec);
  const ctx = { scenario, topology, history, state, signal: abort.signal, conditions };
  let timelineStarted = false;
  await runTimeline(ctx, scenario.timeline, 0, heals, (a) => {
    if (!timelineStarted) {
      timelineStarted = true;
      history.record({ type: 'run.phase', phase: 'timeline' });
    }
    log(`  t=${(history.now() / 1000).toFixed(1)}s ${a.label ?? `${a.type} ${a.target}`}`);
  });
  history.record({ type: 'run.phase', phase: 'recover' });
  const remaining = scenario.durationS * 1000 - history.now();
  if (remaining > 0) await sleep(remaining, abort.signal);

  history.record({ type: 'run.phase', phase: 'teardown' });
  clearInterval(progress);
  await workload.stop();
  await supervisor.stop();
  await sampler.stop();
  history.record({ type: 'faults.state', ...state.snapshot() });
  // Final evidence from the pods before they go: state, restarts, OOM kills, their own counters, last log lines.
  for (const pod of topology.pods()) {
    const state = await pod.state().catch(() => undefined);
    const counters = state?.running ? await podCounters(pod.metrics) : undefined;
    const logs = await pod.logs(5).catch(() => '');
    history.record({ type: 'pod.final', deployment: pod.spec.deployment, pod: pod.spec.name, ...state, ...(counters ? { counters } : {}), tail: logs.trim().split('\n').slice(-3) });
  }
  // Heals not yet run (a toxic, a link cut with no duration) run now, after the final evidence was
  // taken in the state the incident left, and before run.ended so the history holds them.
  await heals.healAll();
  history.record({ type: 'run.phase', phase: 'done' });
  // Last event of every finished run: without it the history is judged incomplete (unknown).
  history.record({ type: 'run.ended', plannedDurationS: scenario.durationS });
  await history.close();
  await topology.stop();
  topology = undefined;

  await rm(join(partialDir, 'work'), { recursive: true, force: true });
  await rm(finalDir, { recursive: true, force: true });
  await rename(partialDir, finalDir);
  completed = true;
  return { runId, runDir: finalDir, historyFile: join(finalDir, HISTORY_FILE), scenario, seed };
}
