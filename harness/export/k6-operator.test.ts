import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { K6_SYSTEM_TAGS } from '../load/k6-runner.ts';
import { k6Runs } from '../scenario/k6-runs.ts';
import { scenarioK6Env } from '../run/workload.ts';
import { PUBLIC_LISTENER } from '../run/topology-plan.ts';
import { loadScenarioFolder } from '../scenario/scenario-files.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { StartedTopology } from '../topology/topology.ts';
import { ExportError } from './export-error.ts';
import { bundledScriptFile, bundleK6Script } from './k6-bundle.ts';
import { exportK6Operator, manifestYaml, notExported, parseParallelism } from './k6-operator.ts';

const EDGE = { http: 'https://pusher.example.com', ws: 'wss://pusher.example.com' };
/** The replay's view of the edge, all scenarioK6Env reads of a started topology. */
const LOCAL_PORT = 41234;
const topology = { edgePorts: new Map([[PUBLIC_LISTENER, [LOCAL_PORT]]]) } as unknown as StartedTopology;

let variants: ResolvedScenario[] = [];
beforeAll(async () => {
  const { scenarios } = await loadScenarioFolder();
  variants = scenarios.flatMap((s) => Object.values(s.resolved));
}, 60_000);

const withK6 = () => variants.filter((v) => k6Runs(v).length > 0);
const withoutK6 = () => variants.filter((v) => k6Runs(v).length === 0);

describe('exportK6Operator', () => {
  it("gives the runners the env the replay gives its k6, with the cluster's edge in place of 127.0.0.1", async () => {
    expect(withK6().length).toBeGreaterThanOrEqual(3);
    let compared = 0;
    for (const v of withK6()) {
      const out = await exportK6Operator(v, { parallelism: 2, edge: EDGE, seed: 99 });
      const local = k6Runs(v);
      expect(out.runs.map((r) => r.script)).toEqual(local.map((s) => s.script));
      for (const [i, run] of out.runs.entries()) {
        const here = scenarioK6Env(v, topology, local[i]!, 99);
        expect(here.EDGE_HTTP).toBe(`http://127.0.0.1:${LOCAL_PORT}`);
        const { EDGE_HTTP, EDGE_WS, K6_NO_USAGE_REPORT, K6_AUTO_EXTENSION_RESOLUTION, ...rest } = run.env;
        expect({ http: EDGE_HTTP, ws: EDGE_WS }).toEqual(EDGE);
        expect({ K6_NO_USAGE_REPORT, K6_AUTO_EXTENSION_RESOLUTION }).toEqual({ K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false' });
        const { EDGE_HTTP: _h, EDGE_WS: _w, ...hereRest } = here;
        expect(rest).toEqual(hereRest);
        // The manifest carries exactly that env, as name/value strings.
        expect(Object.fromEntries(run.testRun.spec.runner.env.map((e) => [e.name, e.value]))).toEqual(run.env);
        expect(Object.values(run.env).join(' ')).not.toMatch(/127\.0\.0\.1|localhost/);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(withK6().length);
  });

  it('puts the bundled script in the ConfigMap the TestRun names, byte for byte through YAML', async () => {
    const v = withK6()[0]!;
    const out = await exportK6Operator(v, { parallelism: 4, edge: EDGE, seed: 1, namespace: 'loadtest' });
    expect(out.runs.length).toBeGreaterThan(0);
    for (const run of out.runs) {
      const file = bundledScriptFile(run.script);
      expect(run.testRun.spec.script.configMap).toEqual({ name: run.configMap.metadata.name, file });
      expect(Object.keys(run.configMap.data)).toEqual([file]);
      expect(run.configMap.data[file]).toBe(await bundleK6Script(run.script));
      expect((parse(manifestYaml(run.configMap)) as typeof run.configMap).data[file]).toBe(run.bundle);
      expect(parse(manifestYaml(run.testRun))).toEqual(run.testRun);
      expect(run.testRun.metadata.namespace).toBe('loadtest');
      expect(run.configMap.metadata.namespace).toBe('loadtest');
      expect(run.testRun.spec.parallelism).toBe(4);
    }
  });

  it('bundles a script into one file that needs only k6: its own imports inlined, k6 modules left to k6', async () => {
    for (const script of ['ws-subscribers.ts', 'rest-publish.ts'] as const) {
      const bundle = await bundleK6Script(script);
      const imports = [...bundle.matchAll(/^\s*import\b[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
      expect(imports.length).toBeGreaterThan(0);
      expect(imports.filter((m) => !/^k6(\/|$)/.test(m!))).toEqual([]);
      expect(bundle).toMatch(/^export \{[^}]*\bas default\b[^}]*\boptions\b/m);
      expect(bundle).not.toMatch(/:\s*Options\b|\binterface\b/); // types stripped
    }
  });

  it("passes the harness's k6 flags but json to stdout; --quiet through spec.quiet; outputs the user names", async () => {
    const v = withK6()[0]!;
    const [run] = (await exportK6Operator(v, { parallelism: 1, edge: EDGE, seed: 1, k6Out: ['experimental-prometheus-rw', 'csv=/tmp/k6.csv'] })).runs;
    const args = run!.testRun.spec.arguments.split(' ');
    expect(args.slice(0, 2)).toEqual(['--system-tags', K6_SYSTEM_TAGS]);
    expect(args).toContain(`harness_scenario=${v.id}`);
    expect(args).toContain(`harness_variant=${v.variant}`);
    expect(run!.testRun.spec.arguments).toContain('--out experimental-prometheus-rw --out csv=/tmp/k6.csv');
    expect(run!.testRun.spec.arguments).not.toContain('json=');
    expect(run!.testRun.spec.quiet).toBe('true');
    await expect(exportK6Operator(v, { parallelism: 1, edge: EDGE, seed: 1, k6Out: ['json=-'] })).rejects.toThrow(/--k6-out json=-: .*json to stdout/);
    await expect(exportK6Operator(v, { parallelism: 1, edge: EDGE, seed: 1, k6Out: ['a b'] })).rejects.toThrow(/--k6-out a b: expected a k6 output/);
  });

  it('names a script that runs twice apart, and refuses names the operator\'s services could not take', async () => {
    const twice = withK6().find((v) => k6Runs(v).filter((s) => s.script === 'rest-publish.ts').length === 2);
    expect(twice, 'a variant with load.k6 rest-publish.ts and load.publish').toBeDefined();
    const out = await exportK6Operator(twice!, { parallelism: 2, edge: EDGE, seed: 1 });
    expect(out.runs.map((r) => r.name)).toEqual([`${twice!.id}-${twice!.variant}-rest-publish-1`, `${twice!.id}-${twice!.variant}-rest-publish-2`]);
    expect(new Set(out.runs.map((r) => r.configMap.metadata.name)).size).toBe(2);
    await expect(exportK6Operator(twice!, { parallelism: 2, edge: EDGE, seed: 1, namePrefix: 'x'.repeat(50) })).rejects.toThrow(/over the 63 a Kubernetes name may have: shorten --name/);
    await expect(exportK6Operator(twice!, { parallelism: 2, edge: EDGE, seed: 1, namePrefix: 'Bad_Name' })).rejects.toThrow(/--name Bad_Name: expected a Kubernetes name/);
    const short = await exportK6Operator(twice!, { parallelism: 2, edge: EDGE, seed: 1, namePrefix: 'cr' });
    expect(short.runs.map((r) => r.name)).toEqual(['cr-rest-publish-1', 'cr-rest-publish-2']);
  });

  it('says when runners would get no VU', async () => {
    const v = withK6()[0]!;
    const vus = k6Runs(v)[0]!.vus;
    const out = await exportK6Operator(v, { parallelism: vus + 3, edge: EDGE, seed: 1 });
    expect(out.notes[0]).toContain(`${vus} VUs over ${vus + 3} runners: 3 runners get no VU`);
    expect((await exportK6Operator(v, { parallelism: vus, edge: EDGE, seed: 1 })).notes.filter((n) => n.startsWith(out.runs[0]!.name))).toEqual([]);
  });

  it('refuses a variant without k6 load, listing what is not k6, with the fix', async () => {
    expect(withoutK6().length).toBeGreaterThan(0);
    for (const v of withoutK6()) {
      const err = await exportK6Operator(v, { parallelism: 2, edge: EDGE, seed: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExportError);
      const message = (err as Error).message;
      expect(message).toContain(`${v.id}/${v.variant}: nothing to export to k6-operator`);
      expect(message).toContain('fix: choose a variant with k6 load');
      for (const line of notExported(v)) expect(message).toContain(line);
    }
  });

  it("lists what stays with the harness: Node clients, probes, timeline, SLOs", () => {
    const v = variants.find((x) => (x.load.clients?.count ?? 0) > 0 && x.probes.length > 0 && x.timeline.length > 0);
    expect(v).toBeDefined();
    const lines = notExported(v!);
    expect(lines[0]).toMatch(new RegExp(`^${v!.load.clients!.count} Node clients \\(pusher-js behaviour: .*reconnects, fallback to HTTP`));
    expect(lines.some((l) => l.startsWith(`${v!.probes.length} probes`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${v!.timeline.length} timeline actions`) && l.includes("cluster's own tools"))).toBe(true);
    expect(lines.at(-1)).toMatch(/SLOs: the TestRuns carry no verdict/);
  });
});

describe('parseParallelism', () => {
  it('takes a positive whole number, and refuses anything else naming the flag', () => {
    expect(parseParallelism('1')).toBe(1);
    expect(parseParallelism('12')).toBe(12);
    for (const bad of [undefined, '', '0', '-2', '1.5', 'four', '1e12', ' ']) {
      expect(() => parseParallelism(bad)).toThrow(/--parallelism .*: expected a positive whole number of k6 runners per TestRun/);
    }
  });
});
