/**
 * Fuzzes a running pod (the bundled server as a child process on 127.0.0.1) with fast-check
 * generated hostile input on each surface, bounded in time and count per surface, and checks after
 * every input that the process is alive and, every 200 inputs, that /healthz answers 200.
 * The committed corpus (fuzz/corpus/*.json) is replayed first. An input after which the pod died
 * is written to the corpus as crash-<surface>-<time>.json, and the run exits 1.
 *
 *   npm run fuzz:server -- --seconds 300 [--max-inputs 1000000] [--surfaces http,upgrade,...] [--out file]
 * --max-inputs bounds the property runs per surface (one http run is a batch of 8 requests).
 *
 * (@jazzer.js/core, a coverage-guided fuzzer, cannot load here: its native part needs GLIBC 2.38.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import WebSocket from 'ws';
import { md5Hex, restSignature } from '../src/auth/signing.ts';
import { rssBytes, spawnPod, type ProcessPod } from '../src/testing/process-pod.ts';
import { clientFrame, rawHttpRequest, restBody, upgradeTarget } from '../src/testing/hostile-arbitraries.ts';
import { rawExchange, rawRequest, rawUpgrade } from '../src/testing/raw-http.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
export const CORPUS_DIR = join(here, 'corpus');
const APP = { id: '1', key: 'app-key', secret: 'app-secret' };

export const SURFACES = ['http', 'upgrade', 'ws-frames', 'fallback-frames', 'rest-signed'] as const;
export type Surface = (typeof SURFACES)[number];

export interface CorpusEntry {
  surface: Surface;
  input: string;
  why?: string;
}

export interface FuzzOptions {
  secondsPerSurface: number;
  maxInputsPerSurface: number;
  surfaces: readonly Surface[];
  corpusDir?: string;
  /** Where an input that broke the pod is written (default: the corpus, replayed from then on). */
  crashDir?: string;
  log?: (line: string) => void;
}

export interface SurfaceResult {
  /** Generated requests (frames, upgrades, ...) sent; the http surface sends them 8 at a time. */
  inputs: number;
  corpusInputs: number;
  seconds: number;
  /** HTTP status (or "closed", "pong", ...) -> count: what the pod answered. */
  answers: Record<string, number>;
  /** The pod's resident memory after the surface, MiB (bounded memory under hostile input). */
  rssMibAfter?: number;
}

export interface FuzzResult {
  survived: boolean;
  crash?: { surface: Surface; input: string; file: string; log: string[] };
  surfaces: Partial<Record<Surface, SurfaceResult>>;
  podExitCode: number | null;
}

/** One way of sending an input to the pod; returns a short label of the pod's answer per request. */
interface Driver {
  arbitrary: fc.Arbitrary<string>;
  /** Requests in one input (an input of the http surface is a batch sent in parallel). */
  send(input: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Raw HTTP requests go 8 at a time: many wait out a deadline (a short body, Expect, ...). */
const HTTP_BATCH = 8;

function label(status: number | undefined): string {
  return status === undefined ? 'closed' : String(status);
}

function drivers(port: number): Record<Surface, () => Promise<Driver>> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (path: string, body: string): Promise<string> =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path, agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
      });
      req.setTimeout(3000, () => req.destroy());
      req.on('error', () => resolve('error'));
      req.end(body);
    });
  return {
    http: async () => ({
      arbitrary: fc.array(rawHttpRequest, { minLength: HTTP_BATCH, maxLength: HTTP_BATCH }).map((a) => JSON.stringify(a)),
      send: async (batch) => {
        // A corpus entry is one request; a generated input is a JSON array of them.
        const requests = batch.startsWith('[') ? (JSON.parse(batch) as string[]) : [batch];
        return Promise.all(requests.map(async (i) => label((await rawExchange(port, i, 1000)).status)));
      },
      close: async () => {},
    }),
    upgrade: async () => ({
      arbitrary: upgradeTarget,
      send: async (target) => [label((await rawExchange(port, rawUpgrade(target), 3000, { untilHeaders: true })).status)],
      close: async () => {},
    }),
    'ws-frames': async () => {
      let ws: WebSocket | undefined;
      let waiters: ((s: string) => void)[] = [];
      const connectWs = async (): Promise<WebSocket> => {
        if (ws && ws.readyState === WebSocket.OPEN) return ws;
        const next = new WebSocket(`ws://127.0.0.1:${port}/app/${APP.key}?protocol=7`);
        next.on('message', (d) => {
          if (d.toString().includes('pusher:pong')) for (const w of waiters.splice(0)) w('pong');
        });
        next.on('close', () => {
          for (const w of waiters.splice(0)) w('closed');
        });
        next.on('error', () => {});
        await new Promise<void>((resolve, reject) => {
          next.once('open', () => resolve());
          next.once('error', reject);
        });
        return (ws = next);
      };
      return {
        arbitrary: clientFrame,
        // The frame, then a ping: the pong says the pod handled the frame and still answers.
        send: async (frame) => {
          const socket = await connectWs();
          const answered = new Promise<string>((resolve) => {
            waiters.push(resolve);
            setTimeout(() => resolve('no-pong'), 3000);
          });
          socket.send(frame);
          socket.send('{"event":"pusher:ping","data":{}}');
          return [await answered];
        },
        close: async () => {
          waiters = [];
          ws?.terminate();
        },
      };
    },
    'fallback-frames': async () => {
      let session = '';
      let n = 0;
      const open = async (): Promise<void> => {
        session = `fz${process.pid}${n++}`;
        await rawExchange(port, rawRequest('POST', `/pusher/app/${APP.key}/123/${session}/xhr`), 3000);
      };
      await open();
      return {
        // A JSON array of client frames, or any other body.
        arbitrary: fc.oneof(fc.array(clientFrame, { minLength: 1, maxLength: 5 }).map((a) => JSON.stringify(a)), restBody),
        send: async (body) => {
          const status = await post(`/pusher/app/${APP.key}/123/${session}/xhr_send`, body);
          if (status === '404') await open(); // the session ended (e.g. closed by the pod): start another
          return [status];
        },
        close: async () => {},
      };
    },
    'rest-signed': async () => {
      const route = fc.constantFrom('/events', '/batch_events');
      return {
        arbitrary: fc.tuple(route, restBody).map(([r, b]) => JSON.stringify([r, b])),
        send: async (input) => {
          const [r, body] = JSON.parse(input) as [string, string];
          const path = `/apps/${APP.id}${r}`;
          const q: Record<string, string> = { auth_key: APP.key, auth_timestamp: String(Math.floor(Date.now() / 1000)), auth_version: '1.0' };
          if (body.length) q.body_md5 = md5Hex(Buffer.from(body));
          q.auth_signature = restSignature(APP.secret, 'POST', path, q);
          return [await post(`${path}?${new URLSearchParams(q).toString()}`, body)];
        },
        close: async () => agent.destroy(),
      };
    },
  };
}

export function readCorpus(dir = CORPUS_DIR): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const v = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CorpusEntry | CorpusEntry[];
    out.push(...(Array.isArray(v) ? v : [v]));
  }
  return out;
}

export function buildServer(): string {
  execFileSync(process.execPath, [join(root, 'build.mjs')], { stdio: 'ignore' });
  return join(root, 'dist', 'server.mjs');
}

export async function startFuzzPod(bundle: string): Promise<{ pod: ProcessPod; port: number }> {
  const pod = spawnPod(
    bundle,
    { PORT: '0', HOST: '127.0.0.1', POD_NAME: 'fuzz', APP_ID: APP.id, APP_KEY: APP.key, APP_SECRET: APP.secret, LOG_LEVEL: 'warn', HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_BODY_TIMEOUT_MS: '500' },
    root,
  );
  const ready = await Promise.race([pod.ready, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`pod not ready after 30 s:\n${pod.lines.join('\n')}`)), 30_000))]);
  return { pod, port: Number(ready.port) };
}

export async function fuzzServer(opts: FuzzOptions): Promise<FuzzResult> {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const corpusDir = opts.corpusDir ?? CORPUS_DIR;
  const { pod, port } = await startFuzzPod(buildServer());
  const alive = (): boolean => pod.child.exitCode === null && pod.child.signalCode === null;
  const result: FuzzResult = { survived: true, surfaces: {}, podExitCode: null };
  const corpus = readCorpus(corpusDir);
  try {
    for (const surface of opts.surfaces) {
      const driver = await drivers(port)[surface]();
      const r: SurfaceResult = { inputs: 0, corpusInputs: 0, seconds: 0, answers: {} };
      result.surfaces[surface] = r;
      const started = Date.now();
      let last = '';
      let sinceHealth = 0;
      const run = async (input: string, generated: boolean): Promise<boolean> => {
        last = input;
        const answers = await driver.send(input);
        if (generated) r.inputs += answers.length;
        for (const a of answers) r.answers[a] = (r.answers[a] ?? 0) + 1;
        sinceHealth += answers.length;
        if (sinceHealth >= 200 && alive()) {
          sinceHealth = 0;
          const health = await rawExchange(port, rawRequest('GET', '/healthz'), 5000);
          if (health.status !== 200) throw new Error(`/healthz answered ${label(health.status)} after input ${JSON.stringify(input).slice(0, 200)}`);
        }
        return alive();
      };
      try {
        for (const e of corpus.filter((c) => c.surface === surface)) {
          r.corpusInputs++;
          if (!(await run(e.input, false))) throw new Error('pod died on a corpus input');
        }
        let inFlight: Promise<boolean> | undefined;
        const property = fc.asyncProperty(driver.arbitrary, (input) => (inFlight = run(input, true)));
        // The first generated input runs whatever the time limit (a surface is never left untried),
        // the rest until the limit. Only an input the pod failed on is a crash: fast-check also calls
        // a run "failed" when its limit came before any input finished, without a counterexample.
        for (const limit of [{ numRuns: 1 }, { numRuns: opts.maxInputsPerSurface - 1, interruptAfterTimeLimit: opts.secondsPerSurface * 1000 }]) {
          if (limit.numRuns < 1) continue;
          const details = await fc.check(property, { ...limit, markInterruptAsFailure: false, endOnFailure: true });
          if (details.counterexample !== null) throw details.errorInstance instanceof Error ? details.errorInstance : new Error('the pod died');
          // The time limit does not wait for the input in flight: it is judged like the others.
          if (inFlight !== undefined && !(await inFlight)) throw new Error('the pod died');
        }
      } catch (err) {
        result.survived = false;
        const crashDir = opts.crashDir ?? corpusDir;
        const file = join(crashDir, `crash-${surface}-${Date.now()}.json`);
        mkdirSync(crashDir, { recursive: true });
        writeFileSync(file, JSON.stringify({ surface, input: last, why: `pod failed: ${(err as Error).message.split('\n')[0]}` } satisfies CorpusEntry, null, 2) + '\n');
        await new Promise((res) => setTimeout(res, 200));
        result.crash = { surface, input: last, file, log: pod.lines.slice(-20) };
        log(`CRASH on ${surface}: input written to ${file}\n${pod.lines.slice(-20).join('\n')}`);
        break;
      } finally {
        r.seconds = Math.round((Date.now() - started) / 100) / 10;
        await driver.close();
        if (alive() && pod.child.pid) r.rssMibAfter = Math.round(rssBytes(pod.child.pid, (f) => readFileSync(f, 'utf8')) / 1024 / 102.4) / 10;
      }
      log(`${surface}: ${r.inputs} generated + ${r.corpusInputs} corpus inputs in ${r.seconds} s, pod RSS ${r.rssMibAfter ?? '?'} MiB, answers ${JSON.stringify(r.answers)}`);
    }
    if (!alive()) result.survived = false;
  } finally {
    result.podExitCode = alive() ? null : pod.child.exitCode;
    await pod.stop();
  }
  return result;
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<void> {
  const seconds = Number(arg(argv, '--seconds') ?? '10');
  const maxInputs = Number(arg(argv, '--max-inputs') ?? '1000000');
  const surfaces = (arg(argv, '--surfaces') ?? SURFACES.join(',')).split(',') as Surface[];
  const bad = surfaces.filter((s) => !(SURFACES as readonly string[]).includes(s));
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600 || !Number.isInteger(maxInputs) || maxInputs <= 0 || bad.length) {
    process.stderr.write(`usage: fuzz:server -- --seconds N (1-3600) [--max-inputs M] [--surfaces ${SURFACES.join(',')}]${bad.length ? `\nunknown surface(s): ${bad.join(', ')}` : ''}\n`);
    process.exitCode = 2;
    return;
  }
  const out = arg(argv, '--out') ?? join(root, '..', 'reports', 'out', 'fuzz-server.json');
  const started = new Date().toISOString();
  const result = await fuzzServer({ secondsPerSurface: seconds, maxInputsPerSurface: maxInputs, surfaces });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ started, finished: new Date().toISOString(), node: process.version, secondsPerSurface: seconds, maxInputsPerSurface: maxInputs, ...result }, null, 2) + '\n');
  process.stdout.write(`${result.survived ? 'pod survived every input' : 'POD DID NOT SURVIVE'}; report: ${out}\n`);
  process.exitCode = result.survived ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
