// `npm run bench:scale [-- 1000 5000 10000]`: replays scripts/bench-scale-scenario.ts (remediated) at
// each number of connections and prints what the harness itself costs there: its peak RSS and CPU
// seconds (its own process, not k6's or the pods'), the history's size, and the wall time of
// `harness report` re-judging the run directory. Starts containers and k6: run it under the Docker
// lock, one size per command when it is shared (each size is a 60 s replay plus set-up).
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { HISTORY_FILE, readHistoryFile } from '../harness/history/ndjson.ts';
import { observe } from '../harness/metrics/fold.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'harness/cli/bin.js');
const SCENARIO = join(ROOT, 'scripts/bench-scale-scenario.ts');
const USAGE_HOOK = join(ROOT, 'scripts/bench-scale-usage.mjs');

const sizes = process.argv.slice(2).map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 100)) {
  console.error(`bench:scale ${process.argv.slice(2).join(' ')}: expected numbers of connections, each a whole number of at least 100`);
  process.exit(2);
}
if (sizes.length === 0) sizes.push(1000, 5000, 10000);

interface Row {
  connections: number;
  peakOpen: number;
  verdict: string;
  rssMb: number;
  cpuS: number;
  historyMb: number;
  events: number;
  byType: Record<string, number>;
  judgeS: number;
  judgeCpuS: number;
  replayWallS: number;
}

/** Runs the harness as a child with the usage hook preloaded; resolves with its exit code and stdout. */
function runHarness(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', USAGE_HOOK, BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout }));
  });
}

async function historyCounts(file: string): Promise<{ events: number; byType: Record<string, number> }> {
  const byType: Record<string, number> = {};
  let events = 0;
  for await (const e of readHistoryFile(file)) {
    events++;
    byType[e.type] = (byType[e.type] ?? 0) + 1;
  }
  return { events, byType };
}

async function benchOne(connections: number): Promise<Row> {
  const out = await mkdtemp(join(tmpdir(), `bench-scale-${connections}-`));
  try {
    const usageFile = join(out, 'usage.json');
    const started = performance.now();
    const run = await runHarness(['run', SCENARIO, '--variant', 'remediated', '--json', '--out', out], {
      BENCH_SCALE_CONNECTIONS: String(connections),
      BENCH_SCALE_USAGE_FILE: usageFile,
      HARNESS_SESSION_ID: process.env.HARNESS_SESSION_ID ?? `bench-scale-${connections}`,
    });
    const replayWallS = (performance.now() - started) / 1000;
    const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`harness run exited ${run.code} without a summary line`);
    const summary = JSON.parse(line) as { status: string; runDir: string };
    const usage = JSON.parse(await readFile(usageFile, 'utf8')) as NodeJS.ResourceUsage;
    const history = join(summary.runDir, HISTORY_FILE);
    const { events, byType } = await historyCounts(history);
    const obs = await observe(readHistoryFile(history));
    const peakOpen = Math.max(0, ...obs.metrics.gauge('connections').map((v) => v ?? 0));
    // Judging as a person re-judging the run does it: a fresh `harness report` process. Its wall time
    // moves with whatever else the machine runs; its CPU time much less.
    const judgeUsageFile = join(out, 'judge-usage.json');
    const judgeStarted = performance.now();
    const report = await promisify(execFile)(process.execPath, ['--import', USAGE_HOOK, BIN, 'report', summary.runDir], {
      cwd: ROOT,
      env: { ...process.env, BENCH_SCALE_USAGE_FILE: judgeUsageFile },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((e: { code?: number; stdout?: string }) => e);
    const judgeS = (performance.now() - judgeStarted) / 1000;
    if (!report.stdout?.includes('bench-scale/remediated')) throw new Error(`harness report ${summary.runDir} failed: ${JSON.stringify(report).slice(0, 500)}`);
    const judgeUsage = JSON.parse(await readFile(judgeUsageFile, 'utf8')) as NodeJS.ResourceUsage;
    return {
      connections,
      peakOpen,
      verdict: summary.status,
      rssMb: usage.maxRSS / 1024,
      cpuS: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      historyMb: (await stat(history)).size / 1024 / 1024,
      events,
      byType,
      judgeS,
      judgeCpuS: (judgeUsage.userCPUTime + judgeUsage.systemCPUTime) / 1e6,
      replayWallS,
    };
  } finally {
    if (!process.env.BENCH_SCALE_KEEP) await rm(out, { recursive: true, force: true });
    else console.error(`kept ${out}`);
  }
}

const rows: Row[] = [];
for (const n of sizes) {
  console.error(`bench:scale: ${n} connections...`);
  const row = await benchOne(n);
  rows.push(row);
  console.error(`  ${JSON.stringify(row)}`);
}
const f = (n: number, d = 1) => n.toFixed(d);
console.log('| connections | open at peak (pods) | verdict | harness RSS peak (MB) | harness CPU (s) | history (MB) | history events | judging wall (s) | judging CPU (s) | replay wall (s) |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.connections} | ${r.peakOpen} | ${r.verdict} | ${f(r.rssMb, 0)} | ${f(r.cpuS)} | ${f(r.historyMb, 2)} | ${r.events} | ${f(r.judgeS)} | ${f(r.judgeCpuS)} | ${f(r.replayWallS, 0)} |`);
}
for (const r of rows) console.log(`events at ${r.connections}: ${Object.entries(r.byType).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(', ')}`);

