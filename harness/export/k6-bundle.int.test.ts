import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { k6ScriptPath } from '../load/k6-env.ts';
import { k6Runs } from '../scenario/k6-runs.ts';
import { HARNESS_ENV } from '../platform/env.ts';
import { toolPath } from '../platform/paths.ts';
import { loadNamedScenarios, resolveScenarioArg } from '../scenario/scenario-files.ts';
import { resolveVariant } from '../scenario/resolve.ts';
import { bundleK6Script } from './k6-bundle.ts';
import { exportK6Operator } from './k6-operator.ts';

// The exported scripts in the k6 the harness pins: `k6 inspect` runs a script's init code (its
// parameter checks, its options) and sends nothing. The env reaches k6 as a runner pod's does:
// container environment variables, not -e flags.
const run = promisify(execFile);
const k6 = toolPath('k6');
const EDGE = { http: 'https://pusher.example.com', ws: 'wss://pusher.example.com' };

async function inspect(script: string, env: Record<string, string>): Promise<{ ok: boolean; options?: { scenarios: Record<string, Record<string, unknown>> }; err: string }> {
  try {
    const { stdout } = await run(k6, ['inspect', '--include-system-env-vars', script], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...HARNESS_ENV, ...env }, timeout: 60_000 });
    return { ok: true, options: JSON.parse(stdout) as { scenarios: Record<string, Record<string, unknown>> }, err: '' };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ok: false, err: e.stderr ?? e.message };
  }
}

/** k6's normalised duration, e.g. `1m8s`, in seconds. */
function seconds(duration: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(duration);
  if (!m) throw new Error(`not a k6 duration: ${duration}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

describe('exported k6 scripts in k6', () => {
  let dir: string;
  beforeAll(async () => {
    expect(existsSync(k6), `${k6} missing: run bash scripts/setup.sh`).toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'k6-bundle-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("loads each exported script with its TestRun's env: the cluster's edge taken, the scenario's load as options", async () => {
    const scenario = resolveVariant((await loadNamedScenarios([await resolveScenarioArg('config-rollback')])).scenarios[0]!, 'incident');
    const exported = await exportK6Operator(scenario, { parallelism: 2, edge: EDGE, seed: 3 });
    expect(exported.runs.length).toBe(k6Runs(scenario).length);
    expect(exported.runs.length).toBeGreaterThan(0);
    for (const r of exported.runs) {
      const file = join(dir, `${r.name}.js`);
      await writeFile(file, r.bundle);
      const got = await inspect(file, r.env);
      expect(got.err, r.name).toBe('');
      // rest-publish.ts reads RATE_PER_S, VUS and DURATION_S from the env into its scenario.
      const publish = got.options!.scenarios.publish!;
      expect(publish).toMatchObject({ executor: 'constant-arrival-rate', rate: Number(r.env.RATE_PER_S), preAllocatedVUs: Number(r.env.VUS), maxVUs: Number(r.env.VUS) });
      expect(seconds(String(publish.duration))).toBe(Number(r.env.DURATION_S));
    }
  });

  it('the same env is refused by the scripts the harness runs here: its own load stays on 127.0.0.1', async () => {
    const scenario = resolveVariant((await loadNamedScenarios([await resolveScenarioArg('config-rollback')])).scenarios[0]!, 'incident');
    const [r] = (await exportK6Operator(scenario, { parallelism: 1, edge: EDGE, seed: 3 })).runs;
    const here = await inspect(k6ScriptPath(r!.script), r!.env);
    expect(here.ok).toBe(false);
    expect(here.err).toContain('EDGE_HTTP=https://pusher.example.com: expected http://127.0.0.1:<port>');
  });

  it('an exported script without a usable edge stops at init, naming the variable', async () => {
    for (const [script, name] of [['rest-publish.ts', 'EDGE_HTTP'], ['ws-subscribers.ts', 'EDGE_WS']] as const) {
      const file = join(dir, `bare-${script}.js`);
      await writeFile(file, await bundleK6Script(script));
      const got = await inspect(file, { [name]: 'https://pusher.example.com/path' });
      expect(got.ok, script).toBe(false);
      expect(got.err).toContain(`${name}=https://pusher.example.com/path: expected `);
      const ws = await inspect(file, { EDGE_HTTP: EDGE.http, EDGE_WS: EDGE.ws });
      expect(ws.err, script).toBe('');
    }
  });
});
