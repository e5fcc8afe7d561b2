/**
 * One fan-out measurement against one pod: N WebSocket subscribers (the `ws` package, protocol 7)
 * on one channel; memory per connection from the pod's working set before and after they joined;
 * publish-to-delivery latency at a fixed REST publish rate (sampled subscribers read the publish
 * time inside the event); then fan-out throughput with a few publishes in flight at once.
 * Every loop is bounded in count and time.
 */
import { Agent } from 'node:http';
import * as hdr from 'hdr-histogram-js';
import Pusher from 'pusher';
import WebSocket from 'ws';
import { CLIENT_QUERY, LOOPBACK_HOST, type AppCredentials } from '../load/pusher-client/index.ts';
import { sleep } from '../load/timing.ts';

export interface FanoutLoad {
  subscribers: number;
  /** REST publishes per second in the latency phase. */
  ratePerS: number;
  latencyS: number;
  throughputS: number;
  /** Publishes in flight at once in the throughput phase. */
  inFlight: number;
  /** Every n-th subscriber reads the latency out of each event; all of them count deliveries. */
  sampleEvery: number;
}

export interface FanoutResult {
  subscribers: number;
  connectS: number;
  memoryBeforeMb: number;
  memoryLoadedMb: number;
  bytesPerConnection: number;
  latency: { publishes: number; delivered: number; expected: number; p50Ms: number; p99Ms: number; maxMs: number; samples: number };
  throughput: { publishes: number; delivered: number; expected: number; seconds: number; deliveredPerS: number };
  restErrors: number;
}

const CHANNEL = 'peer-bench-fanout';
const EVENT = 'tick';
const HANDSHAKES_IN_FLIGHT = 250;
const CONNECT_BOUND_MS = 120_000;
const DRAIN_BOUND_MS = 10_000;
/** The publish time inside the event data, as the server relays it (data is a JSON string in the frame). */
const T_IN_FRAME = /\\"t\\":([0-9.]+)/;

class Subscribers {
  readonly sockets: WebSocket[] = [];
  delivered = 0;
  histogram: hdr.Histogram | undefined;

  /** Opens and subscribes `n` sockets, `HANDSHAKES_IN_FLIGHT` at a time. */
  async open(port: number, key: string, n: number, sampleEvery: number): Promise<void> {
    const started = performance.now();
    for (let i = 0; i < n; i += HANDSHAKES_IN_FLIGHT) {
      if (performance.now() - started > CONNECT_BOUND_MS) throw new Error(`only ${i}/${n} subscribers after ${CONNECT_BOUND_MS / 1000} s`);
      await Promise.all(Array.from({ length: Math.min(HANDSHAKES_IN_FLIGHT, n - i) }, (_, k) => this.subscribe(port, key, (i + k) % sampleEvery === 0)));
    }
  }

  private subscribe(port: number, key: string, sampled: boolean): Promise<void> {
    const ws = new WebSocket(`ws://${LOOPBACK_HOST}:${port}/app/${key}?${CLIENT_QUERY}`, { perMessageDeflate: false });
    this.sockets.push(ws);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no subscription_succeeded within 30 s')), 30_000);
      ws.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      ws.on('message', (raw) => {
        const text = raw.toString();
        // Events are counted with a cheap test; only protocol frames are parsed.
        if (text.includes(`"event":"${EVENT}"`)) {
          this.delivered++;
          if (sampled && this.histogram) {
            const m = T_IN_FRAME.exec(text);
            if (m) this.histogram.recordValue(Math.max(1, Math.round((performance.now() - Number(m[1])) * 1000)));
          }
        } else if (text.includes('pusher:connection_established')) {
          ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: CHANNEL } }));
        } else if (text.includes('subscription_succeeded')) {
          clearTimeout(timer);
          resolve();
        } else if (text.includes('"pusher:ping"')) {
          ws.send('{"event":"pusher:pong","data":{}}');
        }
      });
    });
  }

  close(): void {
    for (const ws of this.sockets.splice(0)) ws.terminate();
  }
}

/** Waits until `delivered()` reaches `expected` or deliveries stop for good (bounded). */
async function drain(delivered: () => number, expected: number): Promise<void> {
  const end = performance.now() + DRAIN_BOUND_MS;
  while (delivered() < expected && performance.now() < end) await sleep(20);
}

export async function measureFanout(opts: { port: number; app: AppCredentials; load: FanoutLoad; memoryMb: () => Promise<number | undefined>; log(line: string): void }): Promise<FanoutResult> {
  const { load, app, port } = opts;
  const memory = async (): Promise<number> => {
    const mb = await opts.memoryMb();
    if (mb === undefined) throw new Error('the pod\'s memory could not be read');
    return mb;
  };
  const subs = new Subscribers();
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(4, load.inFlight), noDelay: true } as ConstructorParameters<typeof Agent>[0]);
  const rest = new Pusher({ appId: app.id, key: app.key, secret: app.secret, host: LOOPBACK_HOST, port: String(port), useTLS: false, agent, timeout: 10_000 });
  let restErrors = 0;
  const publish = (n: number): Promise<void> =>
    rest.trigger(CHANNEL, EVENT, { t: performance.now(), n }).then(
      () => undefined,
      () => void restErrors++,
    );
  try {
    await sleep(1500);
    const memoryBeforeMb = await memory();
    const t0 = performance.now();
    await subs.open(port, app.key, load.subscribers, load.sampleEvery);
    const connectS = (performance.now() - t0) / 1000;
    await sleep(2000);
    const memoryLoadedMb = await memory();
    opts.log(`    ${load.subscribers} subscribers in ${connectS.toFixed(1)} s; working set ${memoryBeforeMb.toFixed(1)} → ${memoryLoadedMb.toFixed(1)} MiB`);

    // Latency at a fixed rate: publish i goes out at t + i / rate, whatever the answers take.
    subs.histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
    const latencyPublishes = Math.round(load.ratePerS * load.latencyS);
    const before = subs.delivered;
    const start = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < latencyPublishes; i++) {
      const due = start + (i * 1000) / load.ratePerS;
      if (due > performance.now()) await sleep(due - performance.now());
      pending.push(publish(i));
    }
    await Promise.all(pending);
    const latencyExpected = latencyPublishes * load.subscribers;
    await drain(() => subs.delivered - before, latencyExpected);
    const h = subs.histogram;
    subs.histogram = undefined;
    const latency = {
      publishes: latencyPublishes,
      delivered: subs.delivered - before,
      expected: latencyExpected,
      p50Ms: h.getValueAtPercentile(50) / 1000,
      p99Ms: h.getValueAtPercentile(99) / 1000,
      maxMs: h.maxValue / 1000,
      samples: h.totalCount,
    };

    // Throughput: `inFlight` publishers back to back for throughputS; deliveries counted until they stop.
    const tpBefore = subs.delivered;
    const tpStart = performance.now();
    const tpEnd = tpStart + load.throughputS * 1000;
    let tpPublishes = 0;
    await Promise.all(
      Array.from({ length: load.inFlight }, async () => {
        while (performance.now() < tpEnd && tpPublishes < 100_000) await publish(tpPublishes++);
      }),
    );
    const tpExpected = tpPublishes * load.subscribers;
    await drain(() => subs.delivered - tpBefore, tpExpected);
    const seconds = (performance.now() - tpStart) / 1000;
    const tpDelivered = subs.delivered - tpBefore;
    return {
      subscribers: load.subscribers,
      connectS,
      memoryBeforeMb,
      memoryLoadedMb,
      bytesPerConnection: Math.round(((memoryLoadedMb - memoryBeforeMb) * 1024 * 1024) / load.subscribers),
      latency,
      throughput: { publishes: tpPublishes, delivered: tpDelivered, expected: tpExpected, seconds, deliveredPerS: Math.round(tpDelivered / seconds) },
      restErrors,
    };
  } finally {
    subs.close();
    agent.destroy();
  }
}
