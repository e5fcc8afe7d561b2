// Proves each real part the harness stands on: a memory-limited container really OOM-killed by the
// kernel and restarted by Docker, a real Toxiproxy adding real latency, real k6 judging thresholds,
// and nothing of ours left behind afterwards.
import { execFile } from 'node:child_process';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, connect, type Server } from 'node:net';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Wait } from 'testcontainers';
import { docker } from './docker.ts';
import { applyHarnessEnv } from './env.ts';
import { resolveImage } from './images.ts';
import { LABEL_RUN_ID } from './labels.ts';
import { freePort } from './ports.ts';
import { removeContainers } from './cleanup.ts';
import { HarnessContainer } from '../topology/harness-container.ts';
import { startToxiproxy, type StartedToxiproxy } from '../topology/toxiproxy.ts';
import { runK6 } from '../load/k6-runner.ts';

applyHarnessEnv();
const runId = `smoke-${randomUUID().slice(0, 8)}`;

async function containersOfThisRun(): Promise<string[]> {
  const api = await docker();
  const list = await api.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_RUN_ID}=${runId}`] }) });
  return list.map((c) => c.Id);
}

afterAll(async () => {
  await removeContainers({ [LABEL_RUN_ID]: runId });
});

/** Starts a 64 MiB container that logs "allocating" before it starts eating memory; removed after the test. */
async function startHog(script: string, configure: (c: HarnessContainer) => HarnessContainer = (c) => c) {
  const image = await resolveImage('node');
  const started = await configure(new HarnessContainer(image.ref, runId, 'oom-probe').withMemoryLimitMb(64))
    .withCommand(['node', '-e', script])
    .withWaitStrategy(Wait.forLogMessage('allocating'))
    .start();
  onTestFinished(async () => {
    await started.stop({ remove: true, timeout: 0 });
  });
  return (await docker()).getContainer(started.getId());
}

describe('a memory-limited container from the local Node image', () => {
  it('is OOM-killed by the kernel at 64 MiB and comes back under a restart policy', async () => {
    // First start: allocate and touch 4 MiB every 20 ms, far past 64 MiB within a second. The marker
    // on a bind mount makes the restarted process idle instead, so "it came back" can be observed.
    const state = await mkdtemp(join(tmpdir(), 'harness-oom-'));
    onTestFinished(() => rm(state, { recursive: true, force: true }));
    const hog = [
      'const fs=require("fs");',
      'if (fs.existsSync("/state/first-run-done")) { console.log("restarted"); setInterval(()=>{},1000); }',
      'else { fs.writeFileSync("/state/first-run-done",""); console.log("allocating"); const a=[]; setInterval(()=>a.push(Buffer.alloc(4<<20,1)),20); }',
    ].join('');
    const container = await startHog(hog, (c) => c.withRestartPolicy('on-failure', 3).withBindMounts([{ source: state, target: '/state', mode: 'rw' }]));

    const logsOf = async () => (await container.logs({ stdout: true, stderr: true })).toString();
    const deadline = Date.now() + 60_000;
    while (!(await logsOf()).includes('restarted') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const info = await container.inspect();
    expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(info.HostConfig.MemorySwap).toBe(64 * 1024 * 1024);
    expect(info.State.OOMKilled).toBe(true);
    expect(info.RestartCount).toBe(1);
    expect(info.State.Running).toBe(true);
    const logs = await logsOf();
    expect(logs).toContain('allocating');
    expect(logs).toContain('restarted');
  });

  it('without a restart policy stays dead with OOMKilled=true and exit code 137', async () => {
    const container = await startHog('const a=[];console.log("allocating");setInterval(()=>a.push(Buffer.alloc(4<<20,1)),20)');
    const deadline = Date.now() + 60_000;
    let info = await container.inspect();
    while (info.State.Running && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      info = await container.inspect();
    }
    expect(info.State.Running).toBe(false);
    expect(info.State.OOMKilled).toBe(true);
    expect(info.State.ExitCode).toBe(137);
    expect(info.RestartCount).toBe(0);
  });
});

describe('Toxiproxy from the local image, driven by toxiproxy-node-client', () => {
  let toxiproxy: StartedToxiproxy;
  let echo: Server;
  let echoPort: number;

  beforeAll(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    echoPort = await new Promise<number>((resolve) => echo.listen(0, '127.0.0.1', () => resolve((echo.address() as { port: number }).port)));
    toxiproxy = await startToxiproxy({ image: (await resolveImage('toxiproxy')).ref, runId });
  });

  afterAll(async () => {
    await toxiproxy?.stop();
    echo?.close();
  });

  /** Milliseconds for one write → echo round trip through the given port, on a fresh connection. */
  function roundTrip(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('error', reject);
      socket.once('connect', () => {
        const t0 = performance.now();
        socket.once('data', () => {
          resolve(performance.now() - t0);
          socket.destroy();
        });
        socket.write('ping');
      });
    });
  }

  it('adds at least 200 ms to a round trip with a 200 ms latency toxic, and refuses when disabled', async () => {
    const listenPort = await freePort();
    const proxy = await toxiproxy.client.createProxy({
      name: `echo-${runId}`,
      listen: `127.0.0.1:${listenPort}`,
      upstream: `127.0.0.1:${echoPort}`,
    });
    const baseline = await roundTrip(listenPort);
    expect(baseline).toBeLessThan(200);

    await proxy.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 200, jitter: 0 } });
    // Read the toxic back from the server's own API: evidence it is in place, not just requested.
    const listed = (await (await fetch(`${toxiproxy.apiUrl}/proxies/${proxy.name}/toxics`)).json()) as { name: string; type: string }[];
    expect(listed).toEqual([expect.objectContaining({ name: 'slow', type: 'latency' })]);
    const slowed = await roundTrip(listenPort);
    expect(slowed).toBeGreaterThanOrEqual(200);

    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await expect(roundTrip(listenPort)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('k6 running a TypeScript script against a local HTTP server', () => {
  let server: HttpServer;
  let target: string;

  beforeAll(async () => {
    // Each response takes about 50 ms, so a p(95)<1 ms threshold must break and p(95)<5000 must hold.
    server = createHttpServer((_req, res) => setTimeout(() => res.end('ok'), 50));
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    target = `http://127.0.0.1:${port}/`;
  });
  afterAll(() => server?.close());

  const script = new URL('../../scenarios/load/smoke-http.ts', import.meta.url).pathname;

  it('type-checks against @types/k6', async () => {
    const tsc = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;
    const project = new URL('../../scenarios/load/tsconfig.json', import.meta.url).pathname;
    await expect(promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', project])).resolves.toBeDefined();
  });

  it('exits 0 when its threshold holds, and streams its samples live', async () => {
    const durations: number[] = [];
    const result = await runK6({
      script,
      env: { TARGET: target, ITERATIONS: 5, DURATION_THRESHOLD: 'p(95)<5000' },
      maxDurationS: 60,
      onPoint: (p) => p.metric === 'http_req_duration' && durations.push(p.value),
    });
    expect(result.exitCode).toBe(0);
    expect(result.outcome).toBe('passed');
    expect(durations).toHaveLength(5);
    expect(Math.min(...durations)).toBeGreaterThanOrEqual(45);
  });

  it('exits 99 when its threshold breaks', async () => {
    const result = await runK6({ script, env: { TARGET: target, ITERATIONS: 3, DURATION_THRESHOLD: 'p(95)<1' }, maxDurationS: 60 });
    expect(result.exitCode).toBe(99);
    expect(result.outcome).toBe('thresholds-failed');
  });
});

describe('afterwards', () => {
  it('no container of this run is left', async () => {
    expect(await containersOfThisRun()).toEqual([]);
  });
});
