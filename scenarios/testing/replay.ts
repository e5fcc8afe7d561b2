// Runs a scenario through the real CLI (the way CI and a person run it) and reads back what it wrote,
// so scenario tests assert on the same summary.json a reader of the report sees.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import type { VariantSummary } from '../../harness/report/summary-schema.ts';
import { docker } from '../../harness/platform/docker.ts';
import { LABEL_MANAGED, LABEL_SESSION } from '../../harness/platform/labels.ts';

const BIN = resolve(import.meta.dirname, '../../harness/cli/bin.js');
export const SCENARIOS_DIR = resolve(import.meta.dirname, '..');

export interface ReplayResult {
  /** The CLI's exit code: 0 when the variant met its expectation. */
  code: number;
  stdout: string;
  stderr: string;
  runDir: string;
  summary: VariantSummary;
  /** The run's history, one parsed event per line (for evidence the summary does not carry). */
  history(): Promise<Record<string, unknown>[]>;
  /** Removes the run's output directory. */
  cleanup(): Promise<void>;
}

export interface ReplayOptions {
  timeoutMs?: number;
  seed?: number;
  /** A server profile (`--server`, harness/servers/); default our own. */
  server?: string;
}

/** `harness run <scenario> --variant <variant>` (an id or a file path) into a scratch directory; rejects if no run was written. */
export async function replay(scenario: string, variant: string, opts: ReplayOptions = {}): Promise<ReplayResult> {
  const out = await mkdtemp(join(tmpdir(), `replay-${basename(scenario, '.ts')}-${variant}-`));
  const args = [
    BIN, 'run', scenario, '--variant', variant, '--out', out,
    ...(opts.seed !== undefined ? ['--seed', String(opts.seed)] : []),
    ...(opts.server !== undefined ? ['--server', opts.server] : []),
  ];
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    execFile(process.execPath, args, { timeout: opts.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 }, (err, so, se) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: so, stderr: se }),
    ),
  );
  // The output folder also holds the run index and the trend; the scenario's folder is its one directory,
  // and beside its run directories may stand a combined report.
  const scenarioDir = (await readdir(out, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => join(out, d.name))[0];
  const runs = scenarioDir ? (await readdir(scenarioDir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.endsWith('.partial')).map((d) => d.name) : [];
  if (!scenarioDir || runs.length !== 1) {
    await rm(out, { recursive: true, force: true });
    throw new Error(`harness run ${scenario} --variant ${variant} wrote no run (exit ${code}):\n${stdout}\n${stderr}`);
  }
  const runDir = join(scenarioDir, runs[0]!);
  const summary = (JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8')) as { variants: VariantSummary[] }).variants[0]!;
  return {
    code,
    stdout,
    stderr,
    runDir,
    summary,
    history: async () =>
      (await readFile(join(runDir, 'history.ndjson'), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    cleanup: () => rm(out, { recursive: true, force: true }),
  };
}

/**
 * `replay()` inside a vitest test: when the test ends its output is removed, and the test fails if any
 * container of this session is left behind (registered first, so a replay that throws is checked too).
 */
export async function replayInTest(scenario: string, variant: string, opts: ReplayOptions = {}): Promise<ReplayResult> {
  let result: ReplayResult | undefined;
  onTestFinished(async () => {
    await result?.cleanup();
    expect(await leftoverContainers()).toBe(0);
  });
  result = await replay(scenario, variant, opts);
  return result;
}

/** The SLO result of a replay by id (throws when the scenario has no such SLO: a typo is not a pass). */
export function slo(r: ReplayResult, id: string): VariantSummary['slos'][number] {
  const s = r.summary.slos.find((x) => x.id === id);
  if (!s) throw new Error(`no SLO ${id} in ${r.runDir}; have ${r.summary.slos.map((x) => x.id).join(', ')}`);
  return s;
}

/** Containers of this test session still present (should be 0 after every replay). */
export async function leftoverContainers(): Promise<number> {
  const list = await (await docker()).listContainers({
    all: true,
    filters: JSON.stringify({ label: [`${LABEL_MANAGED}=true`, `${LABEL_SESSION}=${process.env.HARNESS_SESSION_ID ?? 'none'}`] }),
  });
  return list.length;
}
