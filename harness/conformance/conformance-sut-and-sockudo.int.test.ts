/**
 * `harness conformance --server <profile>` through the real CLI against one pod of each server
 * profile: every applicable check passes, and the skipped ones say why (the counts are asserted,
 * so a check that silently stopped running fails this test).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_WAIT_MS, prepareServer } from '../servers/prepare.ts';
import { sockudoProfile } from '../servers/sockudo.ts';
import { sutProfile } from '../servers/sut.ts';
import { skipReason } from './check.ts';
import { CONFORMANCE_CHECKS } from './checks.ts';
import { profileAbsences } from './profile-absences.ts';

const dir = mkdtempSync(join(tmpdir(), 'conformance-servers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The file names sockudo, so it runs after the other integration tests (vitest.config.ts); a sockudo
// build set-up started in the background is waited for here, bounded, and its image built.
beforeAll(async () => {
  await prepareServer(sockudoProfile, (l) => console.log(l));
}, BUILD_WAIT_MS + 120_000);

const CASES = [
  { profile: sutProfile, passes: 19, skips: 0 },
  // sockudo has no HTTP fallback: both fallback checks and both fallback webhook checks are skipped.
  { profile: sockudoProfile, passes: 15, skips: 4 },
] as const;

describe.each(CASES)('harness conformance --server $profile.name', ({ profile, passes, skips }) => {
  it('passes every applicable check; each skipped check names what the server lacks', () => {
    const absent = profileAbsences(profile.name, profile.capabilities);
    const expectedSkips = CONFORMANCE_CHECKS.filter((c) => skipReason(c, { absent }) !== undefined).map((c) => c.id);
    expect(expectedSkips).toHaveLength(skips);
    expect(CONFORMANCE_CHECKS.length - skips).toBe(passes);

    const junit = join(dir, `${profile.name}.xml`);
    const r = spawnSync(process.execPath, ['harness/cli/bin.js', 'conformance', '--server', profile.name, '--junit', junit], { encoding: 'utf8', timeout: 200_000 });
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.status, output).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^(PASS|FAIL|SKIP) /.test(l));
    expect(lines, output).toHaveLength(CONFORMANCE_CHECKS.length);
    expect(lines.filter((l) => l.startsWith('PASS'))).toHaveLength(passes);
    const skipped = lines.filter((l) => l.startsWith('SKIP'));
    expect(skipped.map((l) => l.split(/\s+/)[1])).toEqual(expectedSkips);
    for (const l of skipped) expect(l).toMatch(/needs (xhr_streaming|xhr_polling|webhooks-over-xhr_\w+): sockudo has no xhr_\w+ transport/);
    expect(r.stdout).toContain(`conformance of ${profile.name}: ${passes} passed, 0 failed, ${skips} skipped (of ${CONFORMANCE_CHECKS.length} checks)`);
    expect(readFileSync(junit, 'utf8')).toContain(`tests="${CONFORMANCE_CHECKS.length}" failures="0" skipped="${skips}"`);
  });
});
