/**
 * Benchmark: one pod (the bundled dist/server.mjs, standalone) on 127.0.0.1.
 *   1. N idle WebSocket connections (protocol 7): RSS delta / N = bytes per idle connection
 *   2. fan-out at full speed: REST publishes to C channels of N/C subscribers, delivered msgs/s
 *   3. fan-out at half that rate: publish-to-delivery latency (p50/p99/max) with an HDR histogram
 * Every loop is bounded in count and time. Run: npm run server:build && npm run bench:server
 * Options: --connections 10000 --channels 100 --batch 1 --seconds 10 [--redis]
 * Publishes go through POST /batch_events (BATCH events per request, one per channel).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import Pusher from 'pusher';
import WebSocket from 'ws';
import { freePort, startRedis, type StartedRedis } from '../src/testing/redis-server.ts';
import { rssBytes, spawnPod } from '../src/testing/process-pod.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('connections', 10_000);
const CHANNELS = arg('channels', 100);
/** Events per REST request (batch_events, max 10). */
const BATCH = arg('batch', 1);
const SECONDS = arg('seconds', 10);
const APP = { id: '1', key: 'bench-key', secret: 'bench-secret' };
/** --redis: the pod shares state through a private redis-server (fan-out goes through Redis pub/sub). */
const WITH_REDIS = process.argv.includes('--redis');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const rss = (pid: number): number => rssBytes(pid, (f) => readFileSync(f, 'utf8'));
/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
const cpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(root, 'build.mjs')], { stdio: 'inherit' });
  const port = await freePort();
  const redis: StartedRedis | undefined = WITH_REDIS ? await startRedis() : undefined;
  const env: Record<string, string> = { PORT: String(port), APP_ID: APP.id, APP_KEY: APP.key, APP_SECRET: APP.secret, LOG_LEVEL: 'warn', ROLES: 'ws,rest' };
  if (redis) env.REDIS_URL = redis.url;
  const pod = spawnPod(join(root, 'dist', 'server.mjs'), env, root);
  const sockets: WebSocket[] = [];
  try {
    await Promise.race([pod.ready, sleep(30_000).then(() => Promise.reject(new Error(`server not ready after 30 s:\n${pod.lines.join('\n')}`)))]);
    const pid = pod.child.pid!;
    await sleep(1000);
    const rssBefore = rss(pid);

    // 1. connections, 500 handshakes in flight at a time
    const onFrame: ((data: string) => void)[] = [];
    const t0 = Date.now();
    for (let i = 0; i < N; i += 500) {
      if (Date.now() - t0 > 120_000) throw new Error(`only ${i} connections after 120 s`);
      await Promise.all(
        Array.from({ length: Math.min(500, N - i) }, (_, k) => {
          const idx = i + k;
          const ws = new WebSocket(`ws://127.0.0.1:${port}/app/${APP.key}?protocol=7&client=bench&version=1`, { perMessageDeflate: false });
          sockets.push(ws);
          return new Promise<void>((resolve, reject) => {
            ws.once('error', reject);
            ws.once('message', () => {
              ws.on('message', (d) => onFrame[idx]?.(d.toString()));
              resolve();
            });
          });
        }),
      );
    }
    const connectSeconds = (Date.now() - t0) / 1000;
    await sleep(2000);
    const rssIdle = rss(pid);
    const bytesPerIdle = Math.round((rssIdle - rssBefore) / N);

    // subscribe: connection i -> channel i % CHANNELS
    let subscribed = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${subscribed}/${N} subscribed after 60 s`)), 60_000);
      sockets.forEach((ws, i) => {
        onFrame[i] = (d) => {
          if (d.includes('subscription_succeeded') && ++subscribed === N) {
            clearTimeout(timer);
            resolve();
          }
        };
        ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: `bench-${i % CHANNELS}` } }));
      });
    });

    // deliveries: count all, record latency from the "t" inside the data
    let delivered = 0;
    let histogram: hdr.Histogram | undefined;
    let rtt: hdr.Histogram | undefined;
    const tRe = /\\"t\\":([0-9.]+)/;
    sockets.forEach((_, i) => {
      onFrame[i] = (d) => {
        delivered++;
        if (histogram) {
          const m = tRe.exec(d);
          if (m) histogram.recordValue(Math.max(1, Math.round((performance.now() - Number(m[1])) * 1000))); // µs
        }
      };
    });
    const rest = new Pusher({ appId: APP.id, key: APP.key, secret: APP.secret, host: '127.0.0.1', port: String(port), useTLS: false, agent: new Agent({ keepAlive: true, maxSockets: 8, noDelay: true }) });
    const perPublish = N / CHANNELS;

    /** Publishes for `seconds` with `inFlight` concurrent requests, at most `perSecond` if given. */
    async function publishFor(
      seconds: number,
      inFlight: number,
      perSecond?: number,
    ): Promise<{ published: number; delivered: number; elapsed: number; serverCpu: number; benchCpu: number }> {
      const cpu0 = cpuSeconds(pid);
      const self0 = cpuSeconds(process.pid);
      const start = performance.now();
      const startDelivered = delivered;
      let published = 0;
      const end = start + seconds * 1000;
      await Promise.all(
        Array.from({ length: inFlight }, async (_, w) => {
          while (performance.now() < end && published < 1_000_000) {
            if (perSecond) {
              const due = start + (published * 1000) / perSecond; // published counts events
              if (due > performance.now()) await sleep(due - performance.now());
              if (performance.now() >= end) break;
            }
            const n = published;
            published += BATCH;
            const t = performance.now();
            const batchDone = rest.triggerBatch(
              Array.from({ length: BATCH }, (_, k) => ({ channel: `bench-${(n + k + w) % CHANNELS}`, name: 'tick', data: { t, n: n + k } })),
            );
            await batchDone;
            rtt?.recordValue(Math.max(1, Math.round((performance.now() - t) * 1000)));
          }
        }),
      );
      // let in-flight deliveries land (bounded)
      const expected = startDelivered + published * perPublish;
      const drainEnd = performance.now() + 10_000;
      while (delivered < expected && performance.now() < drainEnd) await sleep(20);
      const elapsed = (performance.now() - start) / 1000;
      const cpu = (p: number, c0: number): number => Number(((cpuSeconds(p) - c0) / elapsed).toFixed(2));
      return { published, delivered: delivered - startDelivered, elapsed, serverCpu: cpu(pid, cpu0), benchCpu: cpu(process.pid, self0) };
    }

    // 2. throughput
    await publishFor(2, 4); // warm-up
    const full = await publishFor(SECONDS, 8);
    const rate = full.delivered / full.elapsed;

    // 3. latency at half the measured rate
    histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
    rtt = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
    const halfPublishRate = rate / 2 / perPublish;
    const half = await publishFor(SECONDS, 4, halfPublishRate);
    const lat = histogram;
    const result = {
      connections: N,
      connectSeconds: Number(connectSeconds.toFixed(1)),
      rssBeforeMiB: Number((rssBefore / 2 ** 20).toFixed(1)),
      rssIdleMiB: Number((rssIdle / 2 ** 20).toFixed(1)),
      bytesPerIdleConnection: bytesPerIdle,
      fanout: { channels: CHANNELS, subscribersPerChannel: perPublish, publishes: full.published, delivered: full.delivered, seconds: Number(full.elapsed.toFixed(2)), deliveredPerSecond: Math.round(rate), serverCpuCores: full.serverCpu, benchClientCpuCores: full.benchCpu },
      latencyAtHalfRate: {
        deliveredPerSecond: Math.round(half.delivered / half.elapsed),
        delivered: half.delivered,
        expected: half.published * perPublish,
        p50ms: lat.getValueAtPercentile(50) / 1000,
        p99ms: lat.getValueAtPercentile(99) / 1000,
        maxMs: lat.maxValue / 1000,
        restRoundTripP50ms: rtt.getValueAtPercentile(50) / 1000,
        restRoundTripP99ms: rtt.getValueAtPercentile(99) / 1000,
        serverCpuCores: half.serverCpu,
        benchClientCpuCores: half.benchCpu,
      },
      rssEndMiB: Number((rss(pid) / 2 ** 20).toFixed(1)),
      state: redis ? 'redis' : 'memory',
      node: process.version,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    for (const ws of sockets) ws.terminate();
    await pod.stop();
    await redis?.stop();
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exitCode = 1;
});
