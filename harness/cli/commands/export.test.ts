import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

// `harness export k6-operator` end to end through the CLI: bad input is refused before anything is
// written, and a good export is what `kubectl apply -f <dir>` takes.
const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin.js');

async function harness(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'export-cli-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const TARGET = ['--target-url', 'https://pusher.example.com'];

describe('harness export k6-operator', () => {
  it('writes a ConfigMap and a TestRun per k6 run, says what is not exported, and how to apply', async () => {
    const out = path.join(root, 'k6op');
    const r = await harness(['export', 'k6-operator', 'config-rollback', '--variant', 'incident', '--parallelism', '3', ...TARGET, '--out', out]);
    expect(r.out).toContain('config-rollback/incident: 2 TestRuns of 3 runners each, aimed at https://pusher.example.com (your cluster)');
    expect(r.out).toMatch(/not exported \(not k6; they stay with the harness, docs\/scaling\.md\):\n {2}- 60 Node clients/);
    expect(r.out).toContain(`apply: kubectl apply -f ${out}`);
    expect(r.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      'README.md',
      'config-rollback-incident-rest-publish-1.configmap.yaml',
      'config-rollback-incident-rest-publish-1.testrun.yaml',
      'config-rollback-incident-rest-publish-2.configmap.yaml',
      'config-rollback-incident-rest-publish-2.testrun.yaml',
    ]);
    for (const f of files.filter((x) => x.endsWith('.yaml'))) {
      const docs = parseAllDocuments(readFileSync(path.join(out, f), 'utf8'));
      expect(docs.length, f).toBe(1);
      expect(docs[0]!.errors, f).toEqual([]);
    }
    const testRun = parse(readFileSync(path.join(out, 'config-rollback-incident-rest-publish-1.testrun.yaml'), 'utf8'));
    const configMap = parse(readFileSync(path.join(out, 'config-rollback-incident-rest-publish-1.configmap.yaml'), 'utf8'));
    expect(testRun).toMatchObject({ apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', spec: { parallelism: 3, script: { configMap: { name: configMap.metadata.name, file: 'rest-publish.js' } } } });
    expect(configMap.data['rest-publish.js']).toMatch(/^\/\/ scenarios\/load\/rest-publish\.ts of the incident-replay harness/);
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toContain('Not exported (not k6: they stay with the harness');
  }, 60_000);

  it('refuses bad input, naming it and the fix, before writing anything', async () => {
    const out = path.join(root, 'never', 'written');
    const cases: [string[], RegExp][] = [
      [['export', 'k6-operator', 'no-such-scenario', '--variant', 'incident', '--parallelism', '2', ...TARGET, '--out', out], /harness: no scenario "no-such-scenario": expected a file path or one of .*\(see `harness list`\)/],
      [['export', 'k6-operator', 'keepalive-desync', '--variant', 'nope', '--parallelism', '2', ...TARGET, '--out', out], /scenario keepalive-desync has no variant "nope" \(known: incident, masked, remediated, rollback\)/],
      [['export', 'k6-operator', 'keepalive-desync', '--variant', 'incident', '--parallelism', '0', ...TARGET, '--out', out], /--parallelism 0: expected a positive whole number/],
      [['export', 'k6-operator', 'keepalive-desync', '--variant', 'incident', ...TARGET, '--out', out], /--parallelism \(missing\): expected a positive whole number/],
      [['export', 'k6-operator', 'keepalive-desync', '--variant', 'incident', '--parallelism', '2', '--out', out], /--target-url is required/],
      [['export', 'k6-operator', 'oom-cascade', '--variant', 'incident', '--parallelism', '2', ...TARGET, '--out', out], /oom-cascade\/incident: nothing to export to k6-operator: [\s\S]*Node clients[\s\S]*fix: choose a variant with k6 load/],
      [['export', 'k6-operator', 'keepalive-desync', '--parallelism', '2', ...TARGET, '--out', out], /required option '--variant <name>' not specified/],
    ];
    for (const [args, message] of cases) {
      const r = await harness(args);
      expect(r.out, args.join(' ')).toMatch(message);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(existsSync(path.join(root, 'never'))).toBe(false);
  }, 180_000); // a CLI start is 1-6 s on 2 busy cores (the cases' own checks are unit-tested in export/)

  it('refuses an --out it cannot or must not write: a file on the way, a directory with files', async () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'mine\n');
    const r = await harness(['export', 'k6-operator', 'keepalive-desync', '--variant', 'incident', '--parallelism', '2', ...TARGET, '--out', path.join(file, 'out')]);
    expect(r.out).toContain(`--out ${path.join(file, 'out')}: is under ${file}, which is a regular file, not a directory (ENOTDIR)`);
    expect(r.code).toBe(2);
    const full = path.join(root, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'keep.txt'), 'mine\n');
    const f = await harness(['export', 'k6-operator', 'keepalive-desync', '--variant', 'incident', '--parallelism', '2', ...TARGET, '--out', full]);
    expect(f.out).toContain('already holds files (an export never overwrites)');
    expect(f.code).toBe(2);
    expect(readdirSync(full)).toEqual(['keep.txt']);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  }, 60_000);
});
