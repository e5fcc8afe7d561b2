import type { History } from '../history/history.ts';
import { APP } from '../load/app.ts';
import { K6Aggregator } from '../load/k6-aggregator.ts';
import { k6Env, k6ScriptPath } from '../load/k6-env.ts';
import { runK6Segmented, type K6SegmentedResult } from '../load/k6-segments.ts';
import { startClientPopulation, type StartedClientPopulation } from '../load/index.ts';
import { k6ProcessName, k6Runs } from '../scenario/k6-runs.ts';
import type { K6ScriptParams } from '../scenario/k6-scripts.ts';
import { scenarioK6Load, type ScenarioK6Script } from '../load/scenario-k6.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { StartedTopology } from '../topology/topology.ts';
import { freePort } from '../platform/ports.ts';
import { startProbes, startWebhookReceiver, type ProbeTargets, type StartedProbe, type StartedWebhookReceiver } from '../probes/index.ts';
import { PUBLIC_LISTENER } from './topology-plan.ts';

export interface Workload {
  /** One short line for the progress display. */
  status(): string;
  stop(): Promise<void>;
}

export interface PreparedWorkload {
  /** Where the webhook dispatcher must POST (the receiver runs before the topology starts). */
  webhookUrl?: string;
  start(ctx: { topology: StartedTopology; history: History; signal: AbortSignal }): Promise<Workload>;
  dispose(): Promise<void>;
}

/**
 * k6 built-ins with a sample per message or per request phase: at load volumes they would flood the
 * history without adding anything the scripts' own per-second metrics and http_req_duration don't say.
 */
export const K6_DROPPED_METRICS = new Set([
  'ws_msgs_received',
  'ws_msgs_sent',
  'ws_ping',
  'data_sent',
  'data_received',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
  'iteration_duration',
  'iterations',
]);

/** A scenario's k6 run as the env the script receives, aimed at the replay's edge. */
export function scenarioK6Env(scenario: ResolvedScenario, topology: StartedTopology, script: ScenarioK6Script, seed: number): Record<string, string> {
  return k6Env(script.script, { port: topology.edgePorts.get(PUBLIC_LISTENER)!, ...scenarioK6Load(scenario, script, seed) }, script.params as K6ScriptParams<typeof script.script>);
}

/** Probe targets: the edge for unpinned probes, a pod of the deployment for pinned ones. */
export function probeTargets(topology: StartedTopology): ProbeTargets {
  // Probes are few: they enter through the first edge process (the load spreads over all of them).
  const edge = { port: topology.edgePorts.get(PUBLIC_LISTENER)![0]! };
  // Prefer a pod that answered ready at start; a dead one still yields its endpoint (refusals are data).
  const pinned = (deployment: string) => {
    const pods = topology.pods(deployment);
    return pods.find((p) => p.ready) ?? pods[0];
  };
  const endpointOf = (pod: ReturnType<StartedTopology['pods']>[number], deployment: string) => ({ port: pod.spec.port, deployment, pod: pod.spec.name });
  return {
    edge,
    podOf: (deployment) => {
      const pod = pinned(deployment);
      return pod ? endpointOf(pod, deployment) : undefined;
    },
    sparePodOf: (deployment) => {
      const used = pinned(deployment);
      const spare = topology.pods(deployment).filter((p) => p.ready && p !== used).at(-1);
      return spare ? endpointOf(spare, deployment) : undefined;
    },
    metricsOf: (pod) => topology.pods().find((p) => p.spec.name === pod)?.metrics,
  };
}

/** Load and probes of one variant: the webhook receiver, synthetic probes and k6 scripts. */
export async function prepareWorkload(scenario: ResolvedScenario, opts: { seed: number; log: (l: string) => void }): Promise<PreparedWorkload> {
  // The dispatcher needs the receiver's URL before the pods start; the receiver itself starts with the
  // history (replay-second 0). Until then the dispatcher's retries keep the stream's events waiting.
  const receiverPort = scenario.topology.webhooks.enabled ? await freePort() : undefined;
  let receiver: StartedWebhookReceiver | undefined;
  let probes: StartedProbe[] = [];
  let population: StartedClientPopulation | undefined;
  // Idempotent: the normal end of the replay and the teardown both call it.
  const stopClientsAndProbes = async () => {
    await population?.stop();
    await Promise.allSettled(probes.map((p) => p.stop()));
  };
  return {
    webhookUrl: receiverPort ? `http://127.0.0.1:${receiverPort}/webhooks` : undefined,
    async start({ topology, history, signal }) {
      if (receiverPort) receiver = await startWebhookReceiver({ history, app: APP, port: receiverPort });
      probes = await startProbes(scenario.probes, { history, app: APP, targets: probeTargets(topology), maxDurationS: scenario.durationS + 10 });
      const clients = scenario.load.clients;
      if (clients && clients.count > 0) {
        population = startClientPopulation({
          history,
          app: APP,
          target: topology.edgePorts.get(PUBLIC_LISTENER)!.map((port) => ({ port })),
          // Churn lasts to the end of the replay unless the scenario says otherwise, never into tear-down.
          clients: clients.churn ? { ...clients, churn: { ...clients.churn, toS: clients.churn.toS ?? scenario.durationS } } : clients,
          seed: opts.seed,
          rampUpS: scenario.load.ramp.upS,
          maxDurationS: Math.min(scenario.load.maxDurationS, scenario.durationS + 5),
          maxConnections: scenario.load.maxConnections,
          channelPool: scenario.load.publish?.channels,
        });
      }
      // Every k6 process feeds one aggregator: one k6.aggregate event per second for all of them.
      const k6Samples = new K6Aggregator(history);
      const k6Started: Promise<K6SegmentedResult>[] = k6Runs(scenario).map((script) =>
        runK6Segmented({
          script: k6ScriptPath(script.script),
          instances: script.instances,
          env: scenarioK6Env(scenario, topology, script, opts.seed),
          // The hard bound: a script can never outlive the replay (plus a grace for its own teardown).
          maxDurationS: Math.min(script.durationS, scenario.load.maxDurationS) + 15,
          signal,
          skipMetrics: K6_DROPPED_METRICS,
          onPoint: (p) => k6Samples.add(p, k6ProcessName(script.path, p.tags.instance)),
        }).then((r) => {
          r.instances.forEach((one, i) => {
            const which = r.instances.length > 1 ? ` (instance ${i + 1}/${r.instances.length})` : '';
            if (one.outcome === 'error') opts.log(`  k6 ${script.script}${which} ended with exit ${one.exitCode}: ${one.stderrTail.slice(-3).join(' | ')}`);
          });
          return r;
        }),
      );
      return {
        status: () => {
          const p = population?.stats();
          const clientsLine = p
            ? `clients ${Object.entries(p.connected).map(([t, n]) => `${t}=${n}`).join(' ')}, failed connects ${Object.values(p.failures).reduce((a, b) => a + b, 0)}, drops ${p.drops}, fell back ${p.fellBack}; `
            : '';
          return `${clientsLine}probes ${probes.length}, k6 ${k6Started.length}, history ${history.size} events`;
        },
        stop: async () => {
          await stopClientsAndProbes();
          await Promise.allSettled(k6Started);
          k6Samples.close();
        },
      };
    },
    dispose: async () => {
      await stopClientsAndProbes();
      await receiver?.stop();
    },
  };
}
