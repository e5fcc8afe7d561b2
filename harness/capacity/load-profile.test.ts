import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, loadProfile, NATURAL_PROFILE, ProfileError, QUICK_PROFILE } from './load-profile.ts';

async function profileFile(value: unknown): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profile-'));
  const file = path.join(dir, 'p.json');
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('capacity profiles', () => {
  it('the committed profiles are valid', async () => {
    expect((await loadProfile(DEFAULT_PROFILE)).name).toBe('default');
    expect((await loadProfile(QUICK_PROFILE)).name).toBe('quick');
    expect((await loadProfile(NATURAL_PROFILE)).retainedBytesPerConnection).toBe(0);
  });

  it('names the file, the field and what was expected', async () => {
    const good = JSON.parse(await (await import('node:fs/promises')).readFile(QUICK_PROFILE, 'utf8'));
    good.connectionRuns[0].maxConnections = 50_000;
    good.target.headroom = 'lots';
    const file = await profileFile(good);
    const err = await loadProfile(file, '/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProfileError);
    const msg = (err as Error).message;
    expect(msg).toContain(`${file.slice(1)}: connectionRuns[0].maxConnections: expected a number <= 16000, got 50000`);
    expect(msg).toContain('target.headroom: expected a number, got "lots"');
  });

  it('bounds fallback runs lower than WebSocket runs: the harness process holds their sessions', async () => {
    const good = JSON.parse(await (await import('node:fs/promises')).readFile(QUICK_PROFILE, 'utf8'));
    expect(good.connectionRuns[2].role).toBe('fallback');
    good.connectionRuns[0].maxConnections = 12_000;
    good.connectionRuns[2].maxConnections = 4001;
    await expect(loadProfile(await profileFile(good))).rejects.toThrow(/connectionRuns\[2\]\.maxConnections: expected at most 4000 for a fallback run .*, got 4001$/);
  });

  it('refuses a profile the plan cannot use (no fit run for a role), and bad JSON', async () => {
    const good = JSON.parse(await (await import('node:fs/promises')).readFile(QUICK_PROFILE, 'utf8'));
    good.connectionRuns = good.connectionRuns.filter((r: { role: string }) => r.role !== 'fallback');
    await expect(loadProfile(await profileFile(good))).rejects.toThrow(/connectionRuns: expected at least one run with role "fallback" and use "fit"/);
    await expect(loadProfile(await profileFile('{ nope'))).rejects.toThrow(/not valid JSON/);
    await expect(loadProfile('/nonexistent/p.json')).rejects.toThrow(/file not found/);
  });
});
