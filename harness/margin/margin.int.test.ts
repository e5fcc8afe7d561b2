// harness margin and harness run --min-margin end to end on the real parts, on the tiny-margin
// fixture (two pods capped at 25 WebSocket connections, 30 clients): the search finds the boundary
// between ×1 (31 connections: held) and ×1.75 (54: refused), each point a normal run directory;
// the --min-margin gate at ×2 turns a variant that holds at ×1 into exit 1. Bad input is refused
// before anything starts.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftoverContainers as ourContainers } from '../../scenarios/testing/replay.ts';
import type { MarginReport } from './margin-report.ts';

const BIN = resolve(import.meta.dirname, '../cli/bin.js');
const TINY = resolve(import.meta.dirname, 'fixtures/tiny-margin.ts');
const TINY_KILL = resolve(import.meta.dirname, '../run/fixtures/tiny-kill.ts');
let out: string;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function harness(args: string[], timeoutMs = 420_000): Promise<CliResult> {
  return new Promise((done) =>
    execFile(process.execPath, [BIN, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'harness-margin-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('harness margin: bad input is refused before anything starts', () => {
  it('names the fix for a variant without axes, an unknown axis and a range outside the declared one', async () => {
    const none = await harness(['margin', TINY_KILL, '--out', out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/tiny-kill\/remediated declares no stress axes; add `axes:/);
    const unknown = await harness(['margin', TINY, '--axis', 'memory', '--out', out]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/has no axis "memory" \(its axes: clients\)/);
    const range = await harness(['margin', TINY, '--range', '1..9', '--out', out]);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/--range 1..9: outside axis clients's declared range 1..2.5/);
    const budget = await harness(['margin', TINY, '--budget', 'soon', '--out', out]);
    expect(budget.code).toBe(2);
    expect(budget.stderr).toMatch(/--budget soon: expected a duration like 20m/);
    // Bad options are input with their fix, not internal errors of the run.
    for (const r of [none, unknown, range, budget]) expect(r.stderr).not.toMatch(/internal error/);
    expect(await readdir(out)).toEqual([]);
    expect(await ourContainers()).toBe(0);
  });
});

describe('harness margin on tiny-margin (remediated, clients, 1 repeat)', () => {
  let result: CliResult;
  let report: MarginReport;
  let dir: string;
  beforeAll(async () => {
    result = await harness(['margin', TINY, '--variant', 'remediated', '--axis', 'clients', '--repeats', '1', '--budget', '6m', '--out', out]);
    const dirs = (await readdir(out)).filter((d) => d.startsWith('tiny-margin-remediated-clients-'));
    expect(dirs).toHaveLength(1);
    dir = join(out, dirs[0]!);
    report = JSON.parse(await readFile(join(dir, 'margin.json'), 'utf8')) as MarginReport;
  }, 460_000);

  it('pins the boundary between ×1 (held) and ×1.75 (broken) and exits 0', () => {
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(report.search).toMatchObject({ stop: 'resolved', complete: true, met: 1, unmet: 1.75, runs: 3 });
    expect(report.margin).toBe(1);
    expect(report.statement).toBe('holds up to ×1 and breaks at ×1.75: margin ×1');
    expect(report.points.map((p) => [p.factor, p.verdict])).toEqual([[1, 'met'], [1.75, 'unmet'], [2.5, 'unmet']]);
    expect(result.stdout).toMatch(/✔ tiny-margin\/remediated along clients: holds up to ×1 and breaks at ×1.75/);
  });

  it('names the first SLO to break and by how much', () => {
    expect(report.decisive?.kind).toBe('broke');
    expect(report.decisive?.factor).toBe(1.75);
    const first = report.decisive!.slos[0]!;
    expect(first.id).toBe('conn-success');
    expect(first.value).toBeLessThan(0.95);
    expect(first.beyondBy).toBeGreaterThan(0);
  });

  it('made each point a normal run directory with its own reports, whose verdict matches the point', async () => {
    const runs = report.points.flatMap((p) => p.runs.map((r) => ({ ...r, factor: p.factor })));
    expect(runs).toHaveLength(3);
    for (const r of runs) {
      expect(r.runDir).toContain(join(dir, 'runs', 'tiny-margin'));
      for (const f of ['summary.json', 'report.html', 'summary.md', 'junit.xml', 'history.ndjson', 'scenario.json']) expect((await stat(join(r.runDir!, f))).isFile()).toBe(true);
      const summary = JSON.parse(await readFile(join(r.runDir!, 'summary.json'), 'utf8')) as { variants: { verdict: { status: string } }[] };
      expect(summary.variants[0]!.verdict.status).toBe(r.status);
      // The saved plan is the variant at that factor: 30 clients × factor.
      const saved = JSON.parse(await readFile(join(r.runDir!, 'scenario.json'), 'utf8')) as { load: { clients: { count: number } } };
      expect(saved.load.clients.count).toBe(Math.round(30 * r.factor));
    }
  });

  it('writes the markdown and the HTML with one chart per SLO along the axis', async () => {
    const md = await readFile(join(dir, 'margin.md'), 'utf8');
    expect(md).toMatch(/holds up to ×1 and breaks at ×1.75/);
    expect(md).toMatch(/### First SLO to break \(at ×1.75\)/);
    const html = await readFile(join(dir, 'margin.html'), 'utf8');
    const data = JSON.parse(/<script id="chart-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as { groups: { charts: { id: string; x: number[]; series: { values: (number | null)[] }[]; lines: { value: number }[] }[] }[] };
    const chart = data.groups[0]!.charts.find((c) => c.id === 'margin-conn-success')!;
    expect(chart.x).toEqual([1, 1.75, 2.5]);
    expect(chart.lines[0]!.value).toBe(0.95);
    expect(chart.series[0]!.values).toHaveLength(3);
    expect(chart.series[0]!.values[0]).toBeGreaterThanOrEqual(0.95);
    expect(chart.series[0]!.values[1]).toBeLessThan(0.95);
  });

  it('leaves no container behind', async () => {
    expect(await ourContainers()).toBe(0);
  });
});

describe('harness margin on tiny-margin: the incident converse (caps of 5, clients, 1 repeat)', () => {
  it('finds the smallest factor at which the incident still reproduces, and the expected breach that goes away below it', async () => {
    const incOut = join(out, 'incident');
    const r = await harness(['margin', TINY, '--variant', 'incident', '--axis', 'clients', '--repeats', '1', '--budget', '6m', '--out', incOut]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const [d] = await readdir(incOut);
    const rep = JSON.parse(await readFile(join(incOut, d!, 'margin.json'), 'utf8')) as MarginReport;
    expect(rep.expectation).toBe('breach');
    // Searched from the top down: ×1 reproduces, ×0.1 (4 connections under caps of 10) does not, ×0.55 does.
    expect(rep.points.map((p) => [p.factor, p.verdict, p.runs.map((x) => x.status)])).toEqual([
      [0.1, 'unmet', ['rotted']],
      [0.55, 'met', ['reproduced']],
      [1, 'met', ['reproduced']],
    ]);
    expect(rep.search).toMatchObject({ stop: 'resolved', complete: true, met: 0.55, unmet: 0.1 });
    expect(rep.statement).toBe('still reproduces at ×0.55, not at ×0.1: the incident would have happened at ×0.55');
    expect(rep.decisive).toMatchObject({ factor: 0.1, kind: 'stopped-breaching' });
    expect(rep.decisive!.slos.map((s) => s.id)).toEqual(['conn-success']);
    expect(rep.decisive!.slos[0]!.value).toBeGreaterThanOrEqual(0.95);
    expect(await readFile(join(incOut, d!, 'margin.md'), 'utf8')).toMatch(/### First expected breach to go away \(at ×0.1\)/);
    expect(await ourContainers()).toBe(0);
  }, 420_000);
});

describe('harness run --min-margin on tiny-margin', () => {
  it('runs the variant and one extra point at the factor; a variant that holds at ×1 and not at ×2 fails the gate', async () => {
    const gateOut = join(out, 'gate');
    const r = await harness(['run', TINY, '--variant', 'remediated', '--min-margin', '2', '--out', gateOut, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { variant: string; status: string; met: boolean; runDir: string });
    expect(lines.map((l) => [l.variant, l.status, l.met])).toEqual([
      ['remediated', 'held', true],
      ['remediated@clientsx2', 'broken', false],
    ]);
    const saved = JSON.parse(await readFile(join(lines[1]!.runDir, 'scenario.json'), 'utf8')) as { load: { clients: { count: number } } };
    expect(saved.load.clients.count).toBe(60);
    expect(await ourContainers()).toBe(0);
  }, 300_000);
});

describe('harness run --min-margin on tiny-margin, inside the margin', () => {
  it('a variant that holds at ×1.2 too passes the gate: exit 0, two held runs', async () => {
    const gateOut = join(out, 'gate-pass');
    const r = await harness(['run', TINY, '--variant', 'remediated', '--min-margin', '1.2', '--out', gateOut, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { variant: string; status: string; met: boolean });
    expect(lines.map((l) => [l.variant, l.status, l.met])).toEqual([
      ['remediated', 'held', true],
      ['remediated@clientsx1.2', 'held', true],
    ]);
    expect(await ourContainers()).toBe(0);
  }, 300_000);
});

describe('harness margin interrupted', () => {
  it('Ctrl-C during a point: exit 130, its run cleaned up, no container, no margin report', async () => {
    const intOut = join(out, 'interrupted');
    const child = spawn(process.execPath, [BIN, 'margin', TINY, '--repeats', '1', '--budget', '5m', '--out', intOut], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    const code = await new Promise<number | null>((done) => {
      child.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        // The first point's topology is starting: interrupt it there.
        if (/starting topology/.test(seen) && child.exitCode === null && !child.killed) child.kill('SIGINT');
      });
      child.stderr.on('data', (d: Buffer) => (seen += d.toString()));
      child.on('exit', (c) => done(c));
    });
    expect(code, seen).toBe(130);
    const [dir] = await readdir(intOut);
    const left = await readdir(join(intOut, dir!));
    expect(left).not.toContain('margin.json');
    const runs = await readdir(join(intOut, dir!, 'runs', 'tiny-margin')).catch(() => [] as string[]);
    expect(runs.filter((r) => r.endsWith('.partial'))).toEqual([]);
    expect(await ourContainers()).toBe(0);
  }, 120_000);
});
