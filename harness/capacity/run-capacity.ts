import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { K6MissingError, toolPath } from '../platform/paths.ts';
import { noteRunDir } from '../platform/run-registry.ts';
import { checkEnvironment } from '../platform/preflight.ts';
import type { Teardown } from '../platform/teardown.ts';
import { writeReports } from '../report/reporter.ts';
import { CAPACITY_SCHEMA_VERSION, capacityReportSchema, type CapacityReport, type ConnectionRunResult, type MessageRunResult } from './capacity-schema.ts';
import { runConnectionBreakpoint, type BreakpointContext } from './connection-breakpoint.ts';
import { runMessageBreakpoint } from './message-breakpoint.ts';
import { fitCapacityModel } from './model.ts';
import { planCapacity } from './plan.ts';
import type { CapacityProfile } from './profile-schema.ts';
import { CAPACITY_REPORTERS } from './reporters.ts';
import type { CommittedModel } from './sizing.ts';

export function capacityRunId(profile: CapacityProfile, now = new Date()): string {
  return `capacity-${profile.name}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/** Model, plan and report from finished runs: no Docker, so a saved capacity.json can be re-planned. */
export function assembleReport(args: { profile: CapacityProfile; profileFile: string; runId: string; connectionRuns: ConnectionRunResult[]; messageRuns: MessageRunResult[]; durationS: number }): CapacityReport {
  const { profile } = args;
  const model = fitCapacityModel({ connectionRuns: args.connectionRuns, messageRuns: args.messageRuns, slo: profile.slo, retainedBytesPerConnection: profile.retainedBytesPerConnection });
  return capacityReportSchema.parse({
    schemaVersion: CAPACITY_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    runId: args.runId,
    profile: { file: args.profileFile, name: profile.name },
    machine: { cpus: cpus().length, node: process.version },
    slo: profile.slo,
    target: profile.target,
    connectionRuns: args.connectionRuns,
    messageRuns: args.messageRuns,
    model,
    plan: planCapacity(model, profile.target),
    durationS: args.durationS,
  });
}

export function committedModel(report: CapacityReport): CommittedModel {
  return {
    $comment: 'Written by `harness capacity --save-model`; read by harness/capacity/sizing.ts. Do not edit by hand: re-measure.',
    generatedAt: report.generatedAt,
    runId: report.runId,
    profile: report.profile.file,
    headroom: report.plan.headroom,
    model: report.model,
  };
}

/** Writes every report of `report` into `<outRoot>/capacity/<run-id>/` and the model when asked. */
export async function writeCapacityReports(report: CapacityReport, outRoot: string, saveModel?: string): Promise<{ dir: string; files: string[] }> {
  const dir = path.join(outRoot, 'capacity', report.runId);
  const files = await writeReports(dir, report, CAPACITY_REPORTERS);
  if (saveModel) {
    await writeFile(saveModel, `${JSON.stringify(committedModel(report), null, 2)}\n`);
    files.push(saveModel);
  }
  return { dir, files };
}

/** Re-fits and re-plans saved measurements (a capacity.json) with a profile's SLOs and target: no pods. */
export async function replanCapacity(opts: { saved: string; profile: CapacityProfile; profileFile: string; outRoot: string; saveModel?: string }) {
  // Only the measurements are read back: the model and plan are what gets redone.
  const saved = capacityReportSchema.pick({ runId: true, durationS: true, connectionRuns: true, messageRuns: true }).loose().parse(JSON.parse(await readFile(opts.saved, 'utf8')));
  const report = assembleReport({ profile: opts.profile, profileFile: opts.profileFile, runId: `${saved.runId}-replan`, connectionRuns: saved.connectionRuns, messageRuns: saved.messageRuns, durationS: saved.durationS });
  return { report, ...(await writeCapacityReports(report, opts.outRoot, opts.saveModel)) };
}

/**
 * `harness capacity`: every breakpoint run of the profile, one after another (one pod at a time on a
 * small machine), then the model, the plan and the reports in `<outRoot>/capacity/<run-id>/`
 * (written as `.partial` and renamed when complete).
 */
export async function runCapacity(opts: { profile: CapacityProfile; profileFile: string; outRoot: string; runId: string; teardown: Teardown; saveModel?: string; log: (l: string) => void }): Promise<{ dir: string; report: CapacityReport; files: string[] }> {
  const { profile, log, teardown } = opts;
  const images = await checkEnvironment({ k6: false });
  if (!existsSync(toolPath('k6'))) throw new K6MissingError(toolPath('k6'));
  const finalDir = path.join(opts.outRoot, 'capacity', opts.runId);
  const partial = `${finalDir}.partial`;
  let completed = false;
  noteRunDir(partial);
  teardown.add('remove unfinished capacity directory', async () => {
    if (!completed) await rm(partial, { recursive: true, force: true });
  });
  await mkdir(partial, { recursive: true });
  const ctx: BreakpointContext = { image: images.node, runId: opts.runId, teardown, retainedBytesPerConnection: profile.retainedBytesPerConnection, slo: profile.slo, sampleMs: profile.sampleMs, log };
  const started = Date.now();
  const connectionRuns: ConnectionRunResult[] = [];
  for (const [i, run] of profile.connectionRuns.entries()) {
    log(`▶ breakpoint ${i + 1}/${profile.connectionRuns.length + profile.messageRuns.length}: ${run.role} connections, ${run.memoryMb} MiB, ${run.cpus} CPU (${run.use})`);
    connectionRuns.push(await runConnectionBreakpoint(run, ctx));
  }
  const messageRuns: MessageRunResult[] = [];
  for (const [i, run] of profile.messageRuns.entries()) {
    log(`▶ breakpoint ${profile.connectionRuns.length + i + 1}/${profile.connectionRuns.length + profile.messageRuns.length}: messages, ${run.memoryMb} MiB, ${run.cpus} CPU (${run.use})`);
    messageRuns.push(await runMessageBreakpoint(run, ctx));
  }
  const report = assembleReport({ profile, profileFile: opts.profileFile, runId: opts.runId, connectionRuns, messageRuns, durationS: (Date.now() - started) / 1000 });
  await rm(finalDir, { recursive: true, force: true });
  await rename(partial, finalDir);
  completed = true;
  const { files } = await writeCapacityReports(report, opts.outRoot, opts.saveModel);
  return { dir: finalDir, report, files };
}
