import { stringify } from 'yaml';
import { K6_SYSTEM_TAGS } from '../load/k6-runner.ts';
import { scenarioK6LoadEnv } from '../load/scenario-k6.ts';
import { k6Runs } from '../scenario/k6-runs.ts';
import { HARNESS_ENV } from '../platform/env.ts';
import { versions } from '../platform/paths.ts';
import type { K6ScriptName } from '../scenario/k6-scripts.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { ClusterEdge } from './cluster-edge.ts';
import { ExportError } from './export-error.ts';
import { bundledScriptFile, bundleK6Script } from './k6-bundle.ts';

// `harness export k6-operator`: a variant's k6 runs as k6-operator TestRuns (k6.io/v1alpha1), each
// with a ConfigMap holding its bundled script, for a cluster whose load outgrows one machine.
// docs/scaling.md says how the rest of the topology maps to the cluster.

/** k6-operator gives each runner `--execution-segment` of `spec.parallelism` itself; int32 in its CRD. */
const MAX_PARALLELISM = 2 ** 31 - 1;
/** A ConfigMap holds at most 1 MiB. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;
/** Kubernetes object names of a TestRun's jobs and services are DNS-1035 labels: at most 63 characters. */
const LABEL_MAX = 63;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const PART_OF = 'incident-replay-harness';

/** The runner image: k6 of the version the scripts are tested with here (harness/platform/versions.json). */
export const DEFAULT_RUNNER_IMAGE = `grafana/k6:${versions.k6.replace(/^v/, '')}`;

export interface K6OperatorOptions {
  parallelism: number;
  edge: ClusterEdge;
  seed: number;
  /** What every object's name starts with; default `<scenario>-<variant>`. */
  namePrefix?: string;
  namespace?: string;
  /** `k6 run --out` of each runner (e.g. experimental-prometheus-rw); none: the end-of-test summary in each runner's log. */
  k6Out?: readonly string[];
  runnerImage?: string;
}

interface Metadata {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
}

export interface ConfigMapManifest {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: Metadata;
  data: Record<string, string>;
}

export interface TestRunManifest {
  apiVersion: 'k6.io/v1alpha1';
  kind: 'TestRun';
  metadata: Metadata;
  spec: {
    parallelism: number;
    script: { configMap: { name: string; file: string } };
    arguments: string;
    quiet: 'true';
    runner: { image: string; env: { name: string; value: string }[]; metadata: { labels: Record<string, string> } };
  };
}

export interface ExportedK6Run {
  /** The TestRun's name. */
  name: string;
  script: K6ScriptName;
  /** What the runners get as env (`spec.runner.env`): the replay's k6 env with the cluster's edge. */
  env: Record<string, string>;
  /** The bundled script, as the ConfigMap holds it. */
  bundle: string;
  configMap: ConfigMapManifest;
  testRun: TestRunManifest;
}

export interface K6OperatorExport {
  runs: ExportedK6Run[];
  /** What of the variant stays with the harness (not k6), one line each. */
  notExported: string[];
  /** Things the user should know about the split (a runner without VUs), one line each. */
  notes: string[];
}

/** `--parallelism`: the number of k6 runners of each TestRun. */
export function parseParallelism(raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isInteger(n) || n < 1 || n > MAX_PARALLELISM) {
    throw new ExportError(`--parallelism ${raw ?? '(missing)'}: expected a positive whole number of k6 runners per TestRun, e.g. --parallelism 4`);
  }
  return n;
}

/** A scenario id or variant name as a Kubernetes name part: ids may hold `_`, names may not. */
function namePart(id: string): string {
  return id.toLowerCase().replace(/_/g, '-');
}

/** The variant's parts that k6 does not run: they stay with the harness (docs/scaling.md). */
export function notExported(scenario: ResolvedScenario): string[] {
  const lines: string[] = [];
  const clients = scenario.load.clients;
  if (clients && clients.count > 0) {
    lines.push(`${clients.count} Node clients (pusher-js behaviour: ${clients.reconnect.strategy} reconnects, fallback to HTTP after ${clients.reconnect.fallbackAfterFailures} WebSocket failures${clients.churn ? ', churn' : ''}): not k6, they run only in the harness`);
  }
  if (scenario.probes.length > 0) lines.push(`${scenario.probes.length} probes (${[...new Set(scenario.probes.map((p) => p.kind))].join(', ')}): the harness's, not k6`);
  if (scenario.timeline.length > 0) {
    lines.push(`${scenario.timeline.length} timeline actions (${[...new Set(scenario.timeline.map((a) => a.type))].join(', ')}): faults go through the cluster's own tools (docs/scaling.md)`);
  }
  if (scenario.topology.webhooks.enabled) lines.push('the webhook receiver: the harness\'s, not k6');
  lines.push(`${scenario.slos.length} SLOs: the TestRuns carry no verdict; the harness judges a history (docs/scaling.md)`);
  return lines;
}

/** Object names: `<prefix>-<script>`, numbered when a script runs more than once. */
function runNames(prefix: string, scripts: readonly K6ScriptName[]): string[] {
  const base = (s: K6ScriptName) => `${prefix}-${s.replace(/\.ts$/, '')}`;
  const count = (s: K6ScriptName) => scripts.filter((x) => x === s).length;
  const seen = new Map<K6ScriptName, number>();
  return scripts.map((s) => {
    if (count(s) === 1) return base(s);
    const n = (seen.get(s) ?? 0) + 1;
    seen.set(s, n);
    return `${base(s)}-${n}`;
  });
}

/** Checks the names before anything is built: k6-operator names the runner services `<name>-service-<i>`. */
function checkNames(names: readonly string[], parallelism: number, prefix: string, custom: boolean): void {
  if (!DNS_LABEL.test(prefix)) {
    throw new ExportError(`--name ${prefix}: expected a Kubernetes name: lowercase letters, digits and -, starting with a letter and ending with a letter or digit`);
  }
  const room = LABEL_MAX - `-service-${parallelism - 1}`.length;
  const long = names.find((n) => n.length > room);
  if (long !== undefined) {
    throw new ExportError(
      `TestRun name ${long} is ${long.length} characters; with k6-operator's runner services (${long}-service-${parallelism - 1}) over the ${LABEL_MAX} a Kubernetes name may have: ${custom ? 'shorten --name' : 'give a shorter prefix with --name'} (at most ${room - (long.length - prefix.length)} characters here)`,
    );
  }
}

function manifestsOf(scenario: ResolvedScenario, name: string, script: K6ScriptName, env: Record<string, string>, bundle: string, opts: K6OperatorOptions): { configMap: ConfigMapManifest; testRun: TestRunManifest } {
  const labels = { 'app.kubernetes.io/part-of': PART_OF, 'harness.scenario': namePart(scenario.id), 'harness.variant': namePart(scenario.variant) };
  const meta = (n: string): Metadata => ({ name: n, ...(opts.namespace ? { namespace: opts.namespace } : {}), labels });
  const configMapName = `${name}-script`;
  const file = bundledScriptFile(script);
  // k6-operator adds the execution segment of each runner, --quiet (spec.quiet) and its own tags
  // (instance_id, testrun_name); these are the harness's own flags: its system tags and the run's.
  const args = ['--system-tags', K6_SYSTEM_TAGS, '--tag', `harness_scenario=${scenario.id}`, '--tag', `harness_variant=${scenario.variant}`];
  for (const out of opts.k6Out ?? []) args.push('--out', out);
  return {
    configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(configMapName), data: { [file]: bundle } },
    testRun: {
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: meta(name),
      spec: {
        parallelism: opts.parallelism,
        script: { configMap: { name: configMapName, file } },
        arguments: args.join(' '),
        quiet: 'true',
        runner: {
          image: opts.runnerImage ?? DEFAULT_RUNNER_IMAGE,
          env: Object.entries(env).map(([n, value]) => ({ name: n, value })),
          metadata: { labels },
        },
      },
    },
  };
}

/**
 * The variant's k6 runs (its `load.k6` entries and `load.publish`, as the replay runs them) as
 * TestRuns and ConfigMaps. Throws ExportError, naming the fix, when the variant has no k6 load.
 */
export async function exportK6Operator(scenario: ResolvedScenario, opts: K6OperatorOptions): Promise<K6OperatorExport> {
  const scripts = k6Runs(scenario);
  const left = notExported(scenario);
  if (scripts.length === 0) {
    throw new ExportError(
      `${scenario.id}/${scenario.variant}: nothing to export to k6-operator: its load has no k6 part (no load.k6 entry, no load.publish rate). Not k6, and not exportable:\n${left.map((l) => `  - ${l}`).join('\n')}\n  fix: choose a variant with k6 load (\`harness run ${scenario.id} --dry-run --variant all\` shows each variant's load), or give this one load.k6 (e.g. ws-subscribers.ts) or load.publish`,
    );
  }
  for (const out of opts.k6Out ?? []) {
    if (!/^[\w.-]+(=\S+)?$/.test(out) || out.startsWith('json=-')) throw new ExportError(`--k6-out ${out}: expected a k6 output such as experimental-prometheus-rw or csv=/tmp/out.csv, without spaces (json to stdout is the harness's own, not a cluster's)`);
  }
  const prefix = opts.namePrefix ?? `${namePart(scenario.id)}-${namePart(scenario.variant)}`;
  const names = runNames(prefix, scripts.map((s) => s.script));
  checkNames(names, opts.parallelism, prefix, opts.namePrefix !== undefined);
  // Only k6's own variables: the harness's others (Testcontainers) mean nothing to a runner pod.
  const k6Settings = Object.fromEntries(Object.entries(HARNESS_ENV).filter(([k]) => k.startsWith('K6_')));
  const runs: ExportedK6Run[] = [];
  const notes: string[] = [];
  for (const [i, script] of scripts.entries()) {
    const bundle = await bundleK6Script(script.script);
    if (Buffer.byteLength(bundle) >= CONFIGMAP_MAX_BYTES) throw new ExportError(`${script.script}: its bundle is ${Buffer.byteLength(bundle)} bytes, over the ${CONFIGMAP_MAX_BYTES} a ConfigMap holds`);
    const env = { EDGE_HTTP: opts.edge.http, EDGE_WS: opts.edge.ws, ...scenarioK6LoadEnv(scenario, script, opts.seed), ...k6Settings };
    if (opts.parallelism > script.vus) notes.push(`${names[i]}: ${script.vus} VUs over ${opts.parallelism} runners: ${opts.parallelism - script.vus} runners get no VU and no load (k6 splits VUs and rates by execution segment); a parallelism of at most ${script.vus} uses every runner`);
    runs.push({ name: names[i]!, script: script.script, env, bundle, ...manifestsOf(scenario, names[i]!, script.script, env, bundle, opts) });
  }
  return { runs, notExported: left, notes };
}

/** One YAML document of a manifest, as written to the export's files. */
export function manifestYaml(manifest: ConfigMapManifest | TestRunManifest): string {
  // Block literals keep the script readable in the file; no line folding, so it stays byte for byte;
  // no YAML aliases for the labels two places share (plain documents, as kubectl writes them).
  return stringify(manifest, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
}
