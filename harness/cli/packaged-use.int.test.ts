import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../platform/docker.ts';
import { LABEL_MANAGED, LABEL_SESSION } from '../platform/labels.ts';

// The harness as a team uses it from its own repo: `npm pack` of this checkout, installed into a
// new repo outside the checkout, then `harness new`, `harness list` and a short real run there,
// all through `npx harness`. The install uses the npm cache when it has every package (offline)
// and the registry otherwise (--prefer-offline).

const ROOT = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'harness-packaged-'));
const repo = join(tmp, 'team-incidents');
const POSTMORTEM = 'team-kill-2026.txt';
const SESSION = process.env.HARNESS_SESSION_ID ?? 'none';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function sh(command: string, cwd: string, timeoutMs: number): Promise<Result> {
  // The team's environment: the scenarios folder and the postmortems are theirs, not this checkout's,
  // and nothing of `npm test`'s own npm run (npm_* variables) leaks into the npm commands there.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD' && k !== 'HARNESS_SCENARIOS_DIR'));
  env.HARNESS_POSTMORTEMS_DIR = join(repo, 'postmortems');
  return new Promise((done) =>
    execFile('sh', ['-c', command], { cwd, env, timeout: timeoutMs, maxBuffer: 32 << 20 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

let tarball: string;
let packed: string[];

beforeAll(async () => {
  const pack = await sh(`npm pack --json --pack-destination ${JSON.stringify(tmp)}`, ROOT, 120_000);
  expect(pack.code, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(tmp, info!.filename);
  packed = info!.files.map((f) => f.path);

  mkdirSync(join(repo, 'postmortems'), { recursive: true });
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'team-incidents', private: true, type: 'module' }, null, 2));
  writeFileSync(join(repo, 'postmortems', POSTMORTEM), 'Our incident: one of two pods died and nothing brought it back.\n');
  const install = await sh(`npm install --prefer-offline --no-audit --no-fund ${JSON.stringify(tarball)}`, repo, 300_000);
  expect(install.code, install.stderr).toBe(0);
}, 420_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the harness installed from its npm pack tarball in a repo outside the checkout', () => {
  it('packs what an installed harness runs, and no tests or fixtures', () => {
    for (const file of ['harness/index.ts', 'harness/cli/bin.js', 'scenarios/load/rest-publish.ts', 'scenarios/testing/replay.ts', 'server-under-test/dist/server.mjs', 'harness/scenario/templates/scenario.ts.tmpl']) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((f) => f.endsWith('.test.ts') || f.includes('/fixtures/'))).toEqual([]);
  });

  it('scaffolds a scenario, its doc page and its test, importing the harness by package name', async () => {
    const made = await sh(`npx harness new team-kill --postmortem ${POSTMORTEM}`, repo, 60_000);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('wrote scenarios/team-kill.ts');
    expect(readFileSync(join(repo, 'scenarios/team-kill.ts'), 'utf8')).toContain("import { defineScenario } from 'incident-replay-harness';");
    expect(readFileSync(join(repo, 'scenarios/team-kill.int.test.ts'), 'utf8')).toContain("from 'incident-replay-harness/testing';");
    expect(readFileSync(join(repo, 'docs/scenarios/team-kill.md'), 'utf8')).toContain(`Replays \`${POSTMORTEM}\``);
    // A module of shared values beside the scenarios: not a scenario, and no reason for list to fail.
    writeFileSync(join(repo, 'scenarios/shared.ts'), 'export const KILL_AT_S = 4;\n');

    const again = await sh('npx harness new team-kill', repo, 60_000);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist; choose another id/);
  }, 120_000);

  it('imports defineScenario from the package in TypeScript run by tsx', async () => {
    const r = await sh(`node --import tsx -e "import('incident-replay-harness').then((m) => console.log(typeof m.defineScenario))"`, repo, 60_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('function');
  }, 60_000);

  it('harness list shows the scenario and sets the helper module aside', async () => {
    const r = await sh('npx harness list', repo, 60_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^team-kill\s+incident, remediated\s+team-kill: one of two pods killed\s+\(team-kill-2026\.txt\)$/m);
    expect(r.stdout).toContain('not scenarios, no scenario as their default export: scenarios/shared.ts');
  }, 60_000);

  it('npx harness run ./scenarios/*.ts replays the incident in containers and it goes red as the template promises', async () => {
    const r = await sh('npx harness run ./scenarios/*.ts --variant incident --json', repo, 180_000);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toMatch(/skipped: .*scenarios\/shared\.ts/);
    // Run output goes to the team repo's reports/out, not into node_modules.
    const runs = readdirSync(join(repo, 'reports/out/team-kill'));
    expect(runs).toHaveLength(1);
    const summary = JSON.parse(readFileSync(join(repo, 'reports/out/team-kill', runs[0]!, 'summary.json'), 'utf8')) as {
      variants: { variant: string; verdict: { status: string; met: boolean }; slos: { id: string; status: string }[] }[];
    };
    expect(summary.variants.map((v) => v.variant)).toEqual(['incident']);
    const [incident] = summary.variants;
    expect(incident!.verdict).toMatchObject({ status: 'reproduced', met: true });
    expect(incident!.slos.find((s) => s.id === 'pods-back')?.status).toBe('fail');
    const left = await (await docker()).listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_MANAGED}=true`, `${LABEL_SESSION}=${SESSION}`] }) });
    expect(left).toHaveLength(0);
  }, 200_000);
});
