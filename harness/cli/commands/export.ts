import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { clusterEdge } from '../../export/cluster-edge.ts';
import { checkExportDir, writeExportDir } from '../../export/export-dir.ts';
import { ExportError } from '../../export/export-error.ts';
import { DEFAULT_RUNNER_IMAGE, exportK6Operator, parseParallelism } from '../../export/k6-operator.ts';
import { configMapFile, k6OperatorFiles, testRunFile } from '../../export/k6-operator-files.ts';
import { loadNamedScenarios, resolveScenarioArg } from '../../scenario/scenario-files.ts';
import { resolveVariant } from '../../scenario/resolve.ts';
import { DEFAULT_OUT } from './run.ts';

interface K6OperatorOpts {
  variant: string;
  parallelism?: string;
  targetUrl?: string;
  out?: string;
  name?: string;
  namespace?: string;
  k6Out?: string[];
  runnerImage: string;
  seed?: string;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function registerExport(program: Command): void {
  const exp = program.command('export').description('write what a variant needs to run beyond this machine (docs/scaling.md)');
  exp
    .command('k6-operator')
    .description("write a variant's k6 load as k6-operator TestRuns (k6.io/v1alpha1), each with a ConfigMap of its bundled script, for your own cluster")
    .argument('<scenario>', 'a scenario id (see `harness list`) or file path')
    .requiredOption('--variant <name>', 'the variant whose k6 load is exported')
    .option('--parallelism <n>', 'k6 runner pods per TestRun; k6-operator splits the load among them by execution segment')
    .option('--target-url <url>', "required: where the runner pods reach the service in your cluster, http(s)://host[:port] (its Ingress, Gateway or Service); the harness never sends load there")
    .option('--out <dir>', `the directory to write (new or empty; default ${DEFAULT_OUT}/k6-operator/<scenario>-<variant>)`)
    .option('--name <prefix>', 'what the objects\' names start with (default <scenario>-<variant>)')
    .option('--namespace <ns>', 'metadata.namespace of every object (default: none, kubectl\'s current namespace)')
    .option('--k6-out <output>', 'a k6 output of the runners, e.g. experimental-prometheus-rw (repeatable; default none: the summary in each runner\'s log)', collect)
    .option('--runner-image <image>', 'the runners\' k6 image', DEFAULT_RUNNER_IMAGE)
    .option('--seed <n>', "seed of the scripts (default: the scenario's)")
    .action(async (name: string, opts: K6OperatorOpts) => {
      // Every input is checked before anything is built or written.
      const parallelism = parseParallelism(opts.parallelism);
      const edge = clusterEdge(opts.targetUrl);
      if (opts.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(opts.namespace)) {
        throw new ExportError(`--namespace ${opts.namespace}: expected a Kubernetes namespace name: at most 63 lowercase letters, digits and -, starting and ending with a letter or digit`);
      }
      const seedArg = opts.seed === undefined ? undefined : Number(opts.seed);
      if (seedArg !== undefined && !(Number.isInteger(seedArg) && seedArg >= 0)) throw new ExportError(`--seed ${opts.seed}: expected a whole number >= 0`);
      const { scenarios } = await loadNamedScenarios([await resolveScenarioArg(name)]);
      const scenario = resolveVariant(scenarios[0]!, opts.variant);
      const dir = resolve(opts.out ?? join(DEFAULT_OUT, 'k6-operator', `${scenario.id}-${scenario.variant}`));
      checkExportDir(dir);
      const exported = await exportK6Operator(scenario, {
        parallelism,
        edge,
        seed: seedArg ?? scenario.seed,
        namePrefix: opts.name,
        namespace: opts.namespace,
        k6Out: opts.k6Out,
        runnerImage: opts.runnerImage,
      });
      const command = `harness export k6-operator ${scenario.id} --variant ${scenario.variant} --parallelism ${parallelism} --target-url ${edge.http}`;
      await writeExportDir(dir, k6OperatorFiles(scenario, exported, command));

      const rel = relative(process.cwd(), dir);
      const shown = rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
      console.log(`${scenario.id}/${scenario.variant}: ${exported.runs.length} TestRun${exported.runs.length === 1 ? '' : 's'} of ${parallelism} runner${parallelism === 1 ? '' : 's'} each, aimed at ${edge.http} (your cluster), in ${shown}/`);
      for (const r of exported.runs) {
        console.log(`  ${testRunFile(r)}  ${r.script}: ${r.env.VUS} VUs, ${r.env.DURATION_S} s`);
        console.log(`  ${configMapFile(r)}  ${r.testRun.spec.script.configMap.file}, ${(Buffer.byteLength(r.bundle) / 1024).toFixed(1)} KiB bundled`);
      }
      console.log('not exported (not k6; they stay with the harness, docs/scaling.md):');
      for (const l of exported.notExported) console.log(`  - ${l}`);
      for (const n of exported.notes) console.log(`note: ${n}`);
      console.log(`apply: kubectl apply -f ${shown}`);
    });
}
