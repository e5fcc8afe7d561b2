import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHarnessEnv } from '../platform/env.ts';
import { checkEnvironment } from '../platform/preflight.ts';
import { Teardown } from '../platform/teardown.ts';
import { capacityReportSchema } from './capacity-schema.ts';
import { runConnectionBreakpoint, type BreakpointContext } from './connection-breakpoint.ts';
import { QUICK_PROFILE } from './load-profile.ts';
import { committedModelFor, sizePodMemoryMb } from './sizing.ts';

const exec = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

// The models must predict reality: a pod sized by a committed model (capacity/model.json, 1 MiB
// retained per connection; capacity/model-natural.json, none) for N connections holds them; the
// same pod 30% smaller is OOM-killed by the kernel on the way to N.
describe('capacity models against real pods', () => {
  const teardown = new Teardown(`capacity-validate-${Date.now()}`);
  let ctx: BreakpointContext;

  beforeAll(async () => {
    applyHarnessEnv();
    const images = await checkEnvironment({ k6: false });
    ctx = {
      image: images.node,
      runId: teardown.runId,
      teardown,
      retainedBytesPerConnection: 0,
      slo: { connectP99Ms: 1000, publishP99Ms: 250, minDeliveredRatio: 0.95, maxCpuUtilisation: 0.6 },
      sampleMs: 500,
      log: () => undefined,
    };
  });
  afterAll(async () => {
    await teardown.run();
  });

  const cases = [
    { model: 'padded', retained: 1024 * 1024, planned: 120, rampPerS: 40 },
    { model: 'natural', retained: 0, planned: 2000, rampPerS: 400 },
  ];
  it.each(cases)('$model: a pod sized by the model holds its planned $planned connections; 30% under, the kernel OOM-kills it', async ({ retained, planned, rampPerS }) => {
    expect(committedModelFor(retained).committed.model.retainedBytesPerConnection).toBe(retained);
    const run = (memoryMb: number) =>
      runConnectionBreakpoint({ role: 'ws', memoryMb, cpus: 0.5, use: 'holdout', rampPerS, maxConnections: planned, holdS: 3 }, { ...ctx, retainedBytesPerConnection: retained });
    const sized = sizePodMemoryMb({ role: 'ws', connections: planned, retainedBytesPerConnection: retained });
    const held = await run(sized);
    expect(held.break.kind, held.break.reason).toBe('none');
    expect(held.break.value).toBe(planned);
    expect(held.pod).toMatchObject({ running: true, oomKilled: false });

    const under = Math.floor(sized * 0.7);
    const killed = await run(under);
    expect(killed.break.kind, killed.break.reason).toBe('oom-killed');
    expect(killed.pod.oomKilled).toBe(true);
    expect(killed.break.value).toBeLessThan(planned);
  });

  it('refuses to size for a per-connection memory no model was measured with', () => {
    expect(() => sizePodMemoryMb({ role: 'ws', connections: 10, retainedBytesPerConnection: 12345 })).toThrow(/no capacity model was measured with RETAINED_BYTES_PER_CONNECTION=12345/);
  });
});

describe('harness capacity (quick profile, real CLI)', () => {
  it('writes a capacity.json that validates and a capacity-report.html that renders offline', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'capacity-'));
    const { stdout } = await exec('node', ['harness/cli/bin.js', 'capacity', '--profile', QUICK_PROFILE, '--out', out, '--json'], { cwd: ROOT, timeout: 200_000, maxBuffer: 16 << 20 });
    const line = JSON.parse(stdout.trim().split('\n').at(-1)!) as { runDir: string };
    expect(await readdir(line.runDir)).toEqual(expect.arrayContaining(['capacity.json', 'capacity-report.html', 'capacity-summary.md']));

    const report = capacityReportSchema.parse(JSON.parse(await readFile(path.join(line.runDir, 'capacity.json'), 'utf8')));
    // Every connection run of the quick profile ends at a real OOM kill within its bound.
    expect(report.connectionRuns.length).toBeGreaterThan(0);
    for (const r of report.connectionRuns) expect(r.break.kind, `${r.id}: ${r.break.reason}`).toBe('oom-killed');
    // The message run ramps until its pod passes the planned CPU utilisation, and measures where it did.
    const [messages] = report.messageRuns;
    expect(messages?.break.kind, messages?.break.reason).toBe('cpu-target');
    expect(report.model.messages.basis).toBe('cpu-utilisation');
    expect(report.model.messages.predictions[0]?.measured).toBeGreaterThan(0);
    expect(report.model.memory.map((m) => m.role)).toEqual(['ws', 'fallback']);
    expect(report.plan.roles.every((r) => r.pods >= 2)).toBe(true);

    const html = await readFile(path.join(line.runDir, 'capacity-report.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    if (!existsSync('/usr/bin/chromium')) return;
    const profile = await mkdtemp(path.join(tmpdir(), 'chromium-'));
    const dom = (
      await exec('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', `--user-data-dir=${profile}`, '--dump-dom', pathToFileURL(path.join(line.runDir, 'capacity-report.html')).href], {
        timeout: 60_000,
        maxBuffer: 32 << 20,
      })
    ).stdout;
    // Fitted curves (memory per role, CPU, latency) + one chart per breakpoint run.
    const charts = report.model.memory.length + 2 + report.connectionRuns.length + report.messageRuns.length;
    expect(dom).not.toContain('data-error=');
    expect(dom).toContain(`data-rendered="${charts}"`);
    expect(dom.match(/<canvas/g)?.length).toBe(charts);
  });
});
