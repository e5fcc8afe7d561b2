import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredEngine } from './docker.ts';

describe('the configured Docker engine', () => {
  it('follows testcontainers: tc.host, then DOCKER_HOST, then docker.host; none means the default socket', () => {
    expect(configuredEngine({}, {})).toBeUndefined();
    expect(configuredEngine({}, { 'docker.host': 'tcp://127.0.0.1:2375' })).toEqual({ uri: 'tcp://127.0.0.1:2375', source: 'docker.host in ~/.testcontainers.properties' });
    expect(configuredEngine({ DOCKER_HOST: 'unix:///run/other.sock' }, { 'docker.host': 'tcp://127.0.0.1:2375' })).toEqual({ uri: 'unix:///run/other.sock', source: 'DOCKER_HOST' });
    expect(configuredEngine({ DOCKER_HOST: 'unix:///run/other.sock' }, { 'tc.host': 'tcp://127.0.0.1:2376' })?.uri).toBe('tcp://127.0.0.1:2376');
  });

  it('`harness down` with a DOCKER_HOST that does not answer fails naming it, instead of cleaning the default engine', async () => {
    const bin = resolve(import.meta.dirname, '../cli/bin.js');
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(process.execPath, [bin, 'down', '--session', 'no-such-session'], { env: { ...process.env, DOCKER_HOST: 'unix:///tmp/no-engine-here.sock', HARNESS_RUNS_DIR: '/nonexistent-registry' } }, (err, stdout, stderr) =>
        done({ code: (err as { code?: number } | null)?.code ?? 0, stdout, stderr }),
      ),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no Docker engine answers at unix:///tmp/no-engine-here.sock (DOCKER_HOST)');
    expect(r.stdout).not.toMatch(/removed \d+ container/);
  });
});
