import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { ExportFile } from './export-dir.ts';
import { manifestYaml, type K6OperatorExport } from './k6-operator.ts';

/** File names: `kubectl apply -f <dir>` takes them in name order, so each ConfigMap precedes its TestRun. */
export const configMapFile = (run: { name: string }): string => `${run.name}.configmap.yaml`;
export const testRunFile = (run: { name: string }): string => `${run.name}.testrun.yaml`;

/** What the export directory holds: two manifests per k6 run, and a README that says what is not there. */
export function k6OperatorFiles(scenario: ResolvedScenario, exported: K6OperatorExport, command: string): ExportFile[] {
  const first = exported.runs[0]!;
  const readme = [
    `# ${scenario.id} / ${scenario.variant}: its k6 load as k6-operator TestRuns`,
    '',
    `Written by \`${command}\`. Apply with \`kubectl apply -f .\` in this directory (each ConfigMap before its TestRun); every TestRun starts when it is applied.`,
    '',
    `Target: \`${first.env.EDGE_HTTP}\` and \`${first.env.EDGE_WS}\`: your cluster's edge, which the harness never sends load to.`,
    '',
    '| TestRun | script | VUs | duration (s) | parallelism |',
    '|---|---|---|---|---|',
    ...exported.runs.map((r) => `| ${r.name} | ${r.script} | ${r.env.VUS} | ${r.env.DURATION_S} | ${r.testRun.spec.parallelism} |`),
    '',
    'Not exported (not k6: they stay with the harness, see docs/scaling.md):',
    ...exported.notExported.map((l) => `- ${l}`),
    ...(exported.notes.length ? ['', 'Notes:', ...exported.notes.map((l) => `- ${l}`)] : []),
    '',
  ].join('\n');
  return [
    ...exported.runs.flatMap((r) => [
      { name: configMapFile(r), text: manifestYaml(r.configMap) },
      { name: testRunFile(r), text: manifestYaml(r.testRun) },
    ]),
    { name: 'README.md', text: readme },
  ];
}
