import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isK6Trend, K6_SCRIPT_TRENDS } from './metric-names.ts';
import { HARNESS_K6_PARAMS, K6_CHURN_PARAM_NAMES, K6_CHURN_SCRIPTS, K6_SCRIPT_NAMES, k6ParamNames } from './k6-scripts.ts';

// The table is the contract between scenarios and the k6 scripts: each script must read exactly the
// parameters its entry declares (plus those the harness sets), or a declared one would do nothing.

const LOAD_DIR = resolve(import.meta.dirname, '../../scenarios/load');

/** The env names a k6 source file reads: `__ENV.NAME`, `num('NAME', …)`, `loopbackUrls('NAME', …)`. */
function envReads(source: string): Set<string> {
  const names = new Set<string>();
  for (const m of source.matchAll(/__ENV\.([A-Z0-9_]+)|\b(?:num|loopbackUrls)\('([A-Z0-9_]+)'/g)) names.add((m[1] ?? m[2])!);
  return names;
}

function scriptReads(script: string): Set<string> {
  const source = readFileSync(join(LOAD_DIR, script), 'utf8');
  const reads = envReads(source);
  // Shared helpers the script imports read parameters too.
  for (const m of source.matchAll(/from '\.\/(lib\/[\w-]+\.ts)'/g)) for (const n of envReads(readFileSync(join(LOAD_DIR, m[1]!), 'utf8'))) reads.add(n);
  return reads;
}

describe('k6 script table (harness/scenario/k6-scripts.ts)', () => {
  it('has an entry for every k6 script in scenarios/load/, and a file for every entry', () => {
    const files = readdirSync(LOAD_DIR).filter((f) => f.endsWith('.ts')).sort();
    expect(files.length).toBeGreaterThan(0);
    expect([...K6_SCRIPT_NAMES].sort()).toEqual(files);
  });

  it('lists as trends exactly the Trend metrics the scripts declare, so p(95) on them is judged on a distribution', () => {
    const sources = [...readdirSync(LOAD_DIR), ...readdirSync(join(LOAD_DIR, 'lib')).map((f) => `lib/${f}`)].filter((f) => f.endsWith('.ts'));
    const declared = sources.flatMap((f) => [...readFileSync(join(LOAD_DIR, f), 'utf8').matchAll(/new Trend\('([\w]+)'/g)].map((m) => m[1]!));
    expect(declared.length).toBeGreaterThan(0);
    expect([...K6_SCRIPT_TRENDS].sort()).toEqual([...new Set(declared)].sort());
    for (const name of declared) expect(isK6Trend(name)).toBe(true);
    // A counter the scripts declare is not a trend.
    expect(isK6Trend('pusher_connected')).toBe(false);
  });

  it('names at least one script that reads the churn parameters, all of them in the table', () => {
    expect(K6_CHURN_SCRIPTS.length).toBeGreaterThan(0);
    expect(K6_CHURN_PARAM_NAMES).toEqual(['CHURN_SHARE_PER_S', 'CHURN_FROM_S', 'CHURN_TO_S', 'CHURN_AWAY_MS']);
    for (const s of K6_CHURN_SCRIPTS) expect(K6_SCRIPT_NAMES).toContain(s);
  });

  it.each(K6_SCRIPT_NAMES)('%s reads every parameter its entry declares (churn too, for a churning script), and nothing undeclared', (script) => {
    const reads = scriptReads(script);
    const declared = k6ParamNames(script);
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((n) => !reads.has(n)), 'declared but never read by the script').toEqual([]);
    const churn: string[] = K6_CHURN_SCRIPTS.includes(script) ? K6_CHURN_PARAM_NAMES : [];
    expect(churn.filter((n) => !reads.has(n)), 'churn parameter the harness sets but the script never reads').toEqual([]);
    const known = new Set<string>([...declared, ...churn, ...HARNESS_K6_PARAMS]);
    expect([...reads].filter((n) => !known.has(n)), 'read by the script but not in the table').toEqual([]);
  });
});
