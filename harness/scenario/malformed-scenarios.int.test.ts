import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { planRun, type RunOpts } from '../cli/commands/run.ts';
import { guardRun } from '../cli/run-guard.ts';
import { LABEL_SESSION } from '../platform/labels.ts';
import { sessionProcesses } from '../run/testing/interrupt-matrix.ts';

// Every malformed fixture is refused with a message naming the file, the field and the fix, and
// nothing started: no container with this session's label, nothing under a temporary --out.
// Each is judged in-process by `planRun`, what `run` does before its first container, through the
// CLI's own error guard; one fixture per stage at which a scenario is refused (schema, syntax, a
// throwing or never-settling module, plan checks, --out, options, two files) also goes through the
// real CLI (`node harness/cli/bin.js run <file>`: exit 2, no process left). Spawning the CLI for
// all of them cost about a minute of the CI budget for no path the handful does not take.
// An integration test because it reads `docker ps`; it starts nothing and needs no Docker lock.
// Timing is measured by scripts/measure-malformed.sh, never asserted here.

const ROOT = resolve(import.meta.dirname, '../..');
const DIR = join(ROOT, 'harness/scenario/fixtures/malformed');
const SESSION = `malformed-test-${process.pid}`;
const IN_PROCESS_SESSION = `${SESSION}-in-process`;
const tmp = mkdtempSync(join(tmpdir(), 'harness-malformed-'));
// The postmortems folder is beside the checkout only in this workspace; a clone elsewhere has none,
// and the check would be skipped. A folder of our own holds the one postmortem the base names.
const POSTMORTEMS = join(tmp, 'postmortems');
mkdirSync(POSTMORTEMS);
writeFileSync(join(POSTMORTEMS, '001_47be3c2ebe891704.txt'), 'the postmortem the malformed base replays\n');

/**
 * Per fixture: the field the message must name and the fix it must say (what to write, or which bound
 * to raise); other scenario files named with it, `run` options, environment.
 */
const EXPECTED: Record<string, { field: string; fix: RegExp; names?: string[]; options?: Pick<RunOpts, 'variant' | 'minMargin'>; env?: Record<string, string> }> = {
  'action-after-duration': { field: 'timeline[0].at', fix: /expected a time within durationS \(16\)/ },
  'action-type-unknown': { field: 'timeline[0].type', fix: /expected type to be one of .*pod\.kill/ },
  'axis-deployment-unknown': { field: 'axes[0].deployments[0]', fix: /expected a deployment name \("web"\), got "api"/ },
  'axis-kind-unknown': { field: 'axes[0].kind', fix: /expected kind to be one of clients, reconnect, publish-rate, memory/ },
  'breach-unknown-slo': { field: 'variants.incident.expect.breach[0]', fix: /expected an SLO id \("pods-back", "lost", "detect"\)/ },
  'churn-share-percent': { field: 'load.clients.churn.sharePerS', fix: /at most 0\.2 .*a share is a fraction: 5% is 0\.05, got 10/ },
  'clients-million': { field: 'load.clients.count', fix: /set HARNESS_MAX_CLIENTS to raise it/ },
  'clients-over-max-connections': { field: 'load.clients.count', fix: /lower the count or raise load\.maxConnections/ },
  'connections-over-edge-maxconn': { field: 'topology.edge.processes', fix: /raise topology\.edge\.processes to 2/ },
  'detection-alert-unknown': { field: 'slos[2].alert', fix: /expected an alert id \("pod-down"\)/ },
  'duplicate-deployment-name': { field: 'topology.deployments[1].name', fix: /expected a unique name/ },
  'duplicate-scenario-id': { field: 'id', fix: /_base\.ts: id: "malformed-base" is also the id of harness\/scenario\/fixtures\/malformed\/duplicate-scenario-id\.ts: give each scenario file its own id/, names: ['harness/scenario/fixtures/malformed/_base.ts'] },
  'duplicate-slo-id': { field: 'slos[3].id', fix: /expected a unique id/ },
  'duplicate-variant-key': { field: 'variants.incident', fix: /written twice .*rename or remove one/ },
  'duration-huge': { field: 'durationS', fix: /set HARNESS_MAX_DURATION_S to raise it/ },
  'duration-zero': { field: 'durationS', fix: /expected a positive number/ },
  'import-throws': { field: 'could not be imported', fix: /SCENARIO_SIZE_THAT_NOBODY_SET is not set/ },
  'incident-variant-missing': { field: 'variants.incident', fix: /every scenario has an "incident" variant/ },
  'incident-without-breach': { field: 'variants.incident.expect', fix: /expected \{ breach: \[slo ids\] \}/ },
  'k6-param-misspelt': { field: 'load.k6[0].params.RATE_PR_S', fix: /unknown parameter of rest-publish\.ts: expected one of "RATE_PER_S", "PAYLOAD_BYTES"/ },
  'k6-script-missing': { field: 'load.k6[0].script', fix: /expected one of the harness's k6 scripts: ws-subscribers\.ts, rest-publish\.ts, smoke-http\.ts/ },
  'label-unknown': { field: 'slos[1].where.transprot', fix: /expected a label among deployment, pod, transport/ },
  'link-not-redis': { field: 'topology.links[0]', fix: /\{ name: "redis", upstream: "redis" \}.*use that link/ },
  'link-target-unknown': { field: 'timeline[1].target', fix: /declare the link in topology\.links/ },
  'link-upstream-deployment': { field: 'topology.links[0]', fix: /use that link/ },
  'link-without-redis': { field: 'topology.links[0]', fix: /enable Redis or remove the link/ },
  'long-id': { field: 'id', fix: /ENAMETOOLONG\): shorten the scenario id/ },
  'memory-as-string': { field: 'topology.deployments[0].memoryMb', fix: /expected a positive number, got "192"/ },
  'memory-over-machine': { field: 'topology', fix: /set HARNESS_MAX_MEMORY_MB to raise it/ },
  'metric-unknown': { field: 'slos[1].metric', fix: /expected a known metric name/ },
  'min-margin-outside-range': { field: '--min-margin', fix: /factor 2 is outside axis clients's range 0.5..1.5 .*widen range in the scenario/, options: { variant: 'remediated', minMargin: '2' } },
  'never-settles': { field: 'did not finish loading within 2 s', fix: /make the module settle, or set HARNESS_SCENARIO_LOAD_TIMEOUT_S/, env: { HARNESS_SCENARIO_LOAD_TIMEOUT_S: '2' } },
  'no-export': { field: 'default export', fix: /expected a default export made with defineScenario/ },
  'pod-index-after-scale-down': { field: 'timeline[1].target', fix: /expected a pod index below 1 .*target web\/0\.\.web\/0 or raise replicas/ },
  'pod-index-beyond-replicas': { field: 'timeline[0].target', fix: /expected a pod index below 2 .*got "web\/7": target web\/0\.\.web\/1 or raise replicas/ },
  'pods-total-over-bound': { field: 'topology.deployments', fix: /set HARNESS_MAX_PODS to raise it/ },
  'postmortem-missing': { field: 'postmortem', fix: /fix the name, or set HARNESS_POSTMORTEMS_DIR/ },
  'fallback-queue-unconfigured': { field: 'probes[1].maxConcurrent', fix: /expected FALLBACK_MAX_CONCURRENT of "web" \(not set\), got 8/ },
  'postmortem-not-txt': { field: 'postmortem', fix: /expected a postmortem file name ending in \.txt/ },
  'probe-kind-unknown': { field: 'probes[0].kind', fix: /expected kind to be one of delivery, rest, webhook/ },
  'probe-role-missing': { field: 'probes[1].deployment', fix: /expected a deployment with role "fallback" \("web"\)/ },
  'redis-memory-unread': { field: 'topology.redis.memoryMb', fix: /nothing applies topology\.redis\.memoryMb.*remove memoryMb/ },
  'readiness-field': { field: 'topology.deployments[0].readiness', fix: /remove readiness and tune topology\.edge\.healthCheck/ },
  'replicas-huge': { field: 'topology.deployments[0].replicas', fix: /set HARNESS_MAX_PODS to raise it/ },
  'replicas-negative': { field: 'topology.deployments[0].replicas', fix: /expected a number >= 0/ },
  'rollback-gate-typo': { field: 'timeline[2].params.gate.condition.deployment', fix: /expected a deployment name \("web"\), got "wbe"/ },
  'scale-over-bound': { field: 'timeline[1].params.replicas', fix: /set HARNESS_MAX_PODS to raise it/ },
  'seed-fraction': { field: 'seed', fix: /expected an integer/ },
  'slos-missing': { field: 'slos', fix: /required, expected an array/ },
  'stat-wrong-for-metric': { field: 'alerts[1].rule.stat', fix: /expected sum, max, min or last/ },
  'syntax-error': { field: 'line 2:46', fix: /Expected "\}" but found ";": fix the syntax/ },
  'target-unknown-deployment': { field: 'timeline[0].target', fix: /with a deployment in "web"/ },
  'threshold-unparseable': { field: 'slos[1].threshold', fix: /expected "<agg> <op> <number>"/ },
  'unknown-top-level-key': { field: '"duraton"', fix: /correct the spelling or remove it/ },
  'unknown-variant-key': { field: 'variants.remediated', fix: /unknown key "topolgy": correct the spelling or remove it/ },
  'weights-all-zero': { field: 'topology.edge.weights', fix: /give at least one deployment a positive weight/ },
  'weights-unknown-deployment': { field: 'topology.edge.weights.api', fix: /expected a deployment name \("web"\)/ },
  'window-on-detection': { field: 'slos[2].window', fix: /nothing reads window on a detection SLO.*remove window/ },
  'window-on-recovery': { field: 'slos[3].window', fix: /nothing reads window on a recovery SLO.*remove window/ },
};

const fixtures = readdirSync(DIR).filter((f) => !f.startsWith('_')).sort();

/** Through the real CLI too: one fixture per stage at which `run` refuses a scenario. */
const THROUGH_CLI = [
  'duration-zero', // the schema
  'syntax-error', // the TypeScript transform
  'import-throws', // a module that throws on import
  'never-settles', // a module that never settles (HARNESS_SCENARIO_LOAD_TIMEOUT_S)
  'postmortem-missing', // the plan checks
  'long-id', // the --out check
  'min-margin-outside-range', // the command's options
  'duplicate-scenario-id', // two files named together
];

interface CliResult {
  code: number | null;
  output: string;
}

function runCli(args: string[], out: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['harness/cli/bin.js', 'run', ...args, '--out', out],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          HARNESS_SESSION_ID: SESSION,
          HARNESS_POSTMORTEMS_DIR: POSTMORTEMS,
          // A safety net, not the subject: were a check to let a fixture through, preflight would stop
          // at this missing image before any container (and the message assertions would fail).
          HARNESS_IMAGE_NODE: 'incident-harness/malformed-test-absent:never',
          ...env,
        },
        timeout: 60_000,
      },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? null) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

function sessionContainers(session = SESSION): string[] {
  const out = execFileSync('docker', ['ps', '-a', '-q', '--filter', `label=${LABEL_SESSION}=${session}`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

beforeAll(() => {
  // The "no container" assertion needs an engine to ask; without one it would pass for nothing.
  expect(() => execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'pipe' })).not.toThrow();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('malformed scenario fixtures', () => {
  it('has at least 40 fixtures, each with its expectation, and no expectation without a fixture', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(fixtures.map((f) => f.replace(/\.[^.]+$/, '')).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const name of THROUGH_CLI) expect(Object.keys(EXPECTED)).toContain(name);
  });

  it('the base they are built on is valid: --dry-run plans it and exits 0, creating nothing', async () => {
    const out = join(tmp, 'base-out');
    const r = await runCli(['harness/scenario/fixtures/malformed/_base.ts', '--dry-run', '--variant', 'all'], out);
    expect(r.output).toContain('plan malformed-base/incident');
    expect(r.output).toContain('nothing started (--dry-run)');
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  describe('judged in-process by what `run` does before its first container', () => {
    beforeAll(() => {
      // Anything it started would carry this session's label. A session of its own: what this process
      // spawns now (tsx's esbuild service) lives on with it, and is not a CLI left running.
      vi.stubEnv('HARNESS_SESSION_ID', IN_PROCESS_SESSION);
      vi.stubEnv('HARNESS_POSTMORTEMS_DIR', POSTMORTEMS);
    });
    afterAll(() => vi.unstubAllEnvs());

    describe.each(fixtures)('%s', (file) => {
      const name = file.replace(/\.[^.]+$/, '');
      afterEach(() => {
        for (const key of Object.keys(EXPECTED[name]!.env ?? {})) vi.stubEnv(key, undefined);
      });
      it('refused naming the file, the field and the fix; nothing planned, written or started', async () => {
        const want = EXPECTED[name]!;
        for (const [key, value] of Object.entries(want.env ?? {})) vi.stubEnv(key, value);
        const out = join(tmp, name, 'in-process-out');
        const path = relative(ROOT, join(DIR, file));
        let planned = false;
        let refusal: string | undefined;
        await guardRun(async () => {
          planned = (await planRun([path, ...(want.names ?? [])], { variant: 'both', server: 'sut', out, ...want.options })) !== undefined;
        })().catch((err: Error) => (refusal = err.message));
        expect(planned, 'planRun accepted a malformed scenario').toBe(false);
        expect(refusal).toBeDefined();
        expect(refusal).toContain(path);
        expect(refusal).toContain(want.field);
        expect(refusal).toMatch(want.fix);
        expect(existsSync(out), `something was written under ${out}`).toBe(false);
      }, 30_000);
    });

    it('started no container', () => {
      expect(sessionContainers(IN_PROCESS_SESSION)).toEqual([]);
    });
  });

  describe.concurrent.each(fixtures.filter((f) => THROUGH_CLI.includes(f.replace(/\.[^.]+$/, ''))))('%s, through the real CLI', (file) => {
    const name = file.replace(/\.[^.]+$/, '');
    it('exits 2 naming the file, the field and the fix; nothing started', async () => {
      const want = EXPECTED[name]!;
      const out = join(tmp, name, 'out');
      const path = relative(ROOT, join(DIR, file));
      const options = [...(want.options?.variant ? ['--variant', want.options.variant] : []), ...(want.options?.minMargin ? ['--min-margin', want.options.minMargin] : [])];
      const r = await runCli([path, ...(want.names ?? []), ...options], out, want.env);
      expect(r.code, r.output).toBe(2);
      expect(r.output).toContain(path);
      expect(r.output).toContain(want.field);
      expect(r.output).toMatch(want.fix);
      expect(existsSync(out), `something was written under ${out}`).toBe(false);
      expect(sessionContainers()).toEqual([]);
    }, 60_000);
  });

  it('no process a fixture run started is left (the CLIs have exited)', async () => {
    // Children inherit HARNESS_SESSION_ID from the CLI, so /proc/<pid>/environ names them; the CLIs have exited.
    expect(await sessionProcesses(SESSION)).toEqual([]);
    // The check sees a process of the session when there is one (so the empty list above means something).
    const witness = spawn('sleep', ['30'], { env: { ...process.env, HARNESS_SESSION_ID: SESSION }, stdio: 'ignore' });
    await new Promise((ready) => witness.once('spawn', ready));
    try {
      expect(await sessionProcesses(SESSION)).toEqual([witness.pid]);
    } finally {
      witness.kill('SIGKILL');
    }
  });
});

describe('arguments that are not scenario modules, and --out paths that cannot hold a run', () => {
  const tiny = 'harness/run/fixtures/tiny-kill.ts';
  const regularFile = join(tmp, 'a-file');
  writeFileSync(regularFile, 'not a directory\n');
  writeFileSync(join(tmp, 'scenario.json'), '{"id": "x"}\n');
  writeFileSync(join(tmp, 'scenario.yaml'), 'id: x\n');
  const cases: { what: string; args: string[]; out?: string; says: RegExp }[] = [
    { what: 'a .json file', args: [join(tmp, 'scenario.json')], says: /scenario\.json: is a JSON file, not a scenario module.*expected a scenario module: a \.ts file whose default export is defineScenario/ },
    { what: 'a .yaml file', args: [join(tmp, 'scenario.yaml')], says: /scenario\.yaml: is a YAML file, not a scenario module.*expected a scenario module/ },
    { what: 'a directory', args: ['harness/scenario/fixtures'], says: /harness\/scenario\/fixtures: is a directory, not a file; expected a scenario module/ },
    { what: 'a missing file path', args: ['harness/scenario/fixtures/nope.ts'], says: /nope\.ts: file not found; expected a scenario module/ },
    { what: '--out under a regular file', args: [tiny], out: join(regularFile, 'out'), says: /--out .*a-file\/out: is under .*a-file, which is a regular file, not a directory \(ENOTDIR\): choose a directory/ },
    { what: '--out on /proc', args: [tiny], out: '/proc/harness-out', says: /--out \/proc\/harness-out: is on a kernel pseudo-filesystem \(proc\).*choose a directory on a disk/ },
    { what: '--out on /sys', args: [tiny], out: '/sys/harness-out', says: /--out \/sys\/harness-out: is on a kernel pseudo-filesystem \(sys\)/ },
  ];
  it.concurrent.each(cases)('$what: exit 2 with the path and the reason, nothing created', async ({ args, out, says }) => {
    const r = await runCli(args, out ?? join(tmp, 'args-out'));
    expect(r.code, r.output).toBe(2);
    expect(r.output).toMatch(says);
    expect(existsSync(out ?? join(tmp, 'args-out'))).toBe(false);
    expect(sessionContainers()).toEqual([]);
  }, 60_000);
});

describe('a scenario kept in another repo', () => {
  // The team's repo: its own package.json, the harness installed under its package name (a symlink,
  // as `npm install <path>` makes), a scenario importing `incident-replay-harness`.
  const repo = join(tmp, 'team-repo');
  mkdirSync(join(repo, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(repo, 'node_modules', 'incident-replay-harness'));
  const base = readFileSync(join(DIR, '_base.ts'), 'utf8')
    .replace("from '../../../index.ts'", "from 'incident-replay-harness'")
    .replace(/import type .*\n/, '')
    .replace(/: ScenarioInput/g, '');

  it.concurrent.each([
    { what: 'an ESM repo ("type": "module")', pkg: { name: 'team', type: 'module' }, file: 'esm/scenario.ts' },
    { what: 'a repo without "type" (compiled as CommonJS)', pkg: { name: 'team' }, file: 'cjs/scenario.ts' },
  ])('$what: the scenario loads and plans (--dry-run exits 0)', async ({ pkg, file }) => {
    const dir = join(repo, file.split('/')[0]!);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules', 'incident-replay-harness'));
    writeFileSync(join(repo, file), base);
    const r = await runCli([join(repo, file), '--dry-run'], join(tmp, 'team-out'));
    expect(r.output).toContain('plan malformed-base/incident');
    expect(r.code, r.output).toBe(0);
  }, 60_000);
});
