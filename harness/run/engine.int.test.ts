// The engine end to end on the real parts, in both directions: the same tiny scenario goes red when
// the killed pod stays dead and green when a liveness probe brings it back. Also: bad input is
// refused before anything starts, and a run leaves no container behind.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { docker } from '../platform/docker.ts';
import { LABEL_MANAGED, LABEL_SESSION } from '../platform/labels.ts';

const exec = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../cli/bin.js');
const TINY = resolve(import.meta.dirname, 'fixtures/tiny-kill.ts');
let out: string;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function harness(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { timeout: 180_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function summaryOf(runDir: string) {
  return JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8')) as {
    variants: { variant: string; verdict: { status: string; met: boolean }; slos: { id: string; status: string; value: number | null }[]; actions: { type: string; evidence: Record<string, unknown> | null }[] }[];
  };
}

async function runDirs(): Promise<string[]> {
  const dir = join(out, 'tiny-kill');
  // Run directories only: the combined report of the two variants stands beside them.
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((d) => d.isDirectory()).map((d) => join(dir, d.name));
}

async function ourContainers(): Promise<number> {
  const list = await (await docker()).listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_MANAGED}=true`, `${LABEL_SESSION}=${process.env.HARNESS_SESSION_ID ?? 'none'}`] }) });
  return list.length;
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'harness-engine-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('harness run on the tiny-kill scenario', () => {
  let result: CliResult;
  beforeAll(async () => {
    result = await harness(['run', TINY, '--variant', 'both', '--out', out, '--json']);
  });

  it('exits 0: the incident reproduced and the remediation held', () => {
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { variant: string; status: string; met: boolean });
    expect(lines.map((l) => [l.variant, l.status, l.met])).toEqual([
      ['incident', 'reproduced', true],
      ['remediated', 'held', true],
    ]);
    expect(result.code).toBe(0);
  });

  it('shows the mechanism in the evidence: the pod was SIGKILLed (137) and stayed dead only in the incident', async () => {
    const dirs = await runDirs();
    expect(dirs).toHaveLength(2);
    const byVariant = Object.fromEntries(await Promise.all(dirs.map(async (d) => [(await summaryOf(d)).variants[0]!.variant, (await summaryOf(d)).variants[0]!])));
    const kill = byVariant.incident.actions.find((a: { type: string }) => a.type === 'pod.kill');
    expect(kill?.evidence).toMatchObject({ signal: 'SIGKILL', pods: [{ pod: 'web-1', running: false, exitCode: 137, oomKilled: false }] });
    const slo = (v: string, id: string) => byVariant[v].slos.find((s: { id: string }) => s.id === id);
    expect(slo('incident', 'pods-back')).toMatchObject({ status: 'fail', value: 1 });
    expect(slo('remediated', 'pods-back')).toMatchObject({ status: 'pass', value: 0 });
    // Delivery through the edge kept working after failover in both, and it was measured, not assumed.
    expect(slo('incident', 'delivery-after-failover')).toMatchObject({ status: 'pass', value: 0 });
    for (const d of dirs) {
      for (const f of ['summary.json', 'junit.xml', 'report.html', 'summary.md', 'history.ndjson']) {
        expect((await readFile(join(d, f), 'utf8')).length).toBeGreaterThan(100);
      }
    }
  });

  it('re-judges a saved run from its history alone (`harness report`)', async () => {
    const incident = (await runDirs()).find((d) => d.includes('-incident-'))!;
    await rm(join(incident, 'summary.json'));
    const again = await harness(['report', incident]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('tiny-kill/incident: reproduced');
    expect((await summaryOf(incident)).variants[0]!.verdict.status).toBe('reproduced');
  });

  it('leaves no container behind', async () => {
    expect(await ourContainers()).toBe(0);
  });
});

describe('bad input is refused before anything starts', () => {
  it('names the file, the field and what was expected for a malformed scenario (exit 2)', async () => {
    // Inside the checkout (git-ignored), so it is an ES module like every scenario file.
    const scratch = resolve(import.meta.dirname, '../../.harness-tmp');
    await mkdir(scratch, { recursive: true });
    const bad = join(scratch, `bad-scenario-${process.pid}.ts`);
    onTestFinished(() => rm(bad, { force: true }));
    const source = (await readFile(TINY, 'utf8')).replace("from '../../index.ts'", "from '../harness/index.ts'").replace('memoryMb: 192', "memoryMb: '192'");
    await writeFile(bad, source);
    const r = await harness(['run', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-scenario-\d+\.ts/);
    expect(r.stderr).toMatch(/topology\.deployments\[0\]\.memoryMb: expected a positive number/);
    expect(await ourContainers()).toBe(0);
  });

  it('names the known scenarios for an unknown one (exit 2)', async () => {
    const r = await harness(['run', 'no-such-scenario', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no scenario "no-such-scenario"/);
  });

  it('names the fix when an image is missing, and starts nothing', async () => {
    const r = await new Promise<CliResult>((done) =>
      execFile(process.execPath, [BIN, 'run', TINY, '--out', out], { env: { ...process.env, HARNESS_IMAGE_NODE: 'incident-harness/does-not-exist:0' } }, (err, stdout, stderr) =>
        done({ code: (err as { code?: number } | null)?.code ?? 0, stdout, stderr }),
      ),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/image incident-harness\/does-not-exist:0 \(from HARNESS_IMAGE_NODE\) is not present; run `docker pull incident-harness\/does-not-exist:0` or unset HARNESS_IMAGE_NODE/);
    expect(await ourContainers()).toBe(0);
    expect((await runDirs()).filter((d) => d.endsWith('.partial'))).toEqual([]);
  });
});
