/**
 * The harness runs `node /app/server.mjs` in a FROM-scratch image: one file, no node_modules, no
 * inherited environment. Build it, copy it alone to an empty directory and run it there.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './testing/redis-server.ts';
import { rssBytes, spawnPod, type ProcessPod } from './testing/process-pod.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let appDir: string;
const procs: ProcessPod[] = [];
const sockets: WebSocket[] = [];

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'build.mjs')], { stdio: 'pipe' });
  appDir = mkdtempSync(join(tmpdir(), 'sut-app-'));
  copyFileSync(join(root, 'dist', 'server.mjs'), join(appDir, 'server.mjs'));
}, 60_000);
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  for (const p of procs.splice(0)) await p.stop();
});
afterAll(() => {
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

function run(env: Record<string, string>): ProcessPod {
  const p = spawnPod(join(appDir, 'server.mjs'), env, appDir);
  procs.push(p);
  return p;
}

describe('bundled server (dist/server.mjs)', () => {
  it('starts alone, logs exactly one ready line, answers /healthz, /readyz, /metrics; SIGTERM exits 0', async () => {
    const port = await freePort();
    const p = run({ PORT: String(port), POD_NAME: 'bundle-1', APP_ID: '7', APP_KEY: 'k', APP_SECRET: 's' });
    const ready = await p.ready;
    expect(ready).toMatchObject({ msg: 'ready', port, pod: 'bundle-1' });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ version: 'v1', configVersion: 'none', pod: 'bundle-1', roles: ['ws', 'fallback', 'rest', 'webhook-dispatcher'] });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/sut_connections\{transport="ws"/);
    expect(metrics).toMatch(/sut_process_resident_memory_bytes/);
    // a client is told to reconnect (4200) on SIGTERM
    const ws = new WebSocket(`ws://127.0.0.1:${port}/app/k?protocol=7`);
    sockets.push(ws);
    await new Promise((r) => ws.once('message', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    expect(await p.stop()).toBe(0);
    expect(await closed).toBe(4200);
    expect(p.lines.filter((l) => l.includes('"msg":"ready"'))).toHaveLength(1);
    expect(p.lines.every((l) => l.startsWith('{'))).toBe(true);
  });

  it('binds 127.0.0.1 by default; prints the ready line even with LOG_LEVEL=error', async () => {
    const port = await freePort();
    const p = run({ PORT: String(port), LOG_LEVEL: 'error' });
    expect(await p.ready).toMatchObject({ host: '127.0.0.1' });
  });

  it('an invalid variable is refused: "config rejected" naming it, exit 78', async () => {
    const p = run({ PORT: '1', OVER_CAP_MODE: 'explode' });
    expect(await p.exited).toBe(78);
    const line = JSON.parse(p.lines.find((l) => l.includes('"msg":"config rejected"'))!) as { reason: string; variable: string };
    expect(line.variable).toBe('OVER_CAP_MODE');
    expect(line.reason).toMatch(/drop, close-4100/);
  });

  it('2019-12: app v1 with CONFIG_UNKNOWN_KEYS=reject refuses the v2 config (exit 78); the tolerant default starts and warns', async () => {
    const file = join(appDir, 'config-c2.json');
    writeFileSync(file, JSON.stringify({ configVersion: 'c2', metricsServiceAddress: '127.0.0.1:8125' }));
    const strict = run({ PORT: String(await freePort()), APP_VERSION: 'v1', CONFIG_FILE: file, CONFIG_UNKNOWN_KEYS: 'reject' });
    expect(await strict.exited).toBe(78);
    expect(strict.lines.some((l) => l.includes('"msg":"config rejected"') && l.includes('metricsServiceAddress'))).toBe(true);
    expect(strict.lines.some((l) => l.includes('"msg":"ready"'))).toBe(false);

    const port = await freePort();
    const tolerant = run({ PORT: String(port), APP_VERSION: 'v1', CONFIG_FILE: file });
    await tolerant.ready;
    expect(tolerant.lines.some((l) => l.includes('"msg":"config key ignored"') && l.includes('metricsServiceAddress'))).toBe(true);
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toMatchObject({ version: 'v1', configVersion: 'c2' });
  });

  it('2021-12: RETAINED_BYTES_PER_CONNECTION shows up in the process RSS', async () => {
    const port = await freePort();
    const per = 2 * 1024 * 1024;
    const p = run({ PORT: String(port), RETAINED_BYTES_PER_CONNECTION: String(per) });
    await p.ready;
    const before = rssBytes(p.child.pid!, (f) => readFileSync(f, 'utf8'));
    const n = 20;
    for (let i = 0; i < n; i++) {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/app/app-key?protocol=7`);
      sockets.push(ws);
      await new Promise((r) => ws.once('message', r));
    }
    const after = rssBytes(p.child.pid!, (f) => readFileSync(f, 'utf8'));
    expect(after - before).toBeGreaterThan(0.9 * n * per);
  });
});
