// Signed Pusher REST publishes (k6/http) at a fixed arrival rate over keep-alive connections:
// the bulk of the publishing load. Every OVERSIZED_EVERY-th request carries event data over the
// 10 KB limit (413 expected). Outcomes are counted per VU and flushed once per REPORT_EVERY_MS.
//
// Parameters (__ENV): EDGE_HTTP (http://127.0.0.1:port, or several comma-separated: one per edge
// process, each VU keeps one), APP_ID, APP_KEY, APP_SECRET,
// VUS, DURATION_S, RATE_PER_S, PAYLOAD_BYTES, CHANNELS, CHANNEL_KIND, EVENT, OVERSIZED_EVERY,
// KEEP_ALIVE (true|false), REPORT_EVERY_MS.
import http from 'k6/http';
import crypto from 'k6/crypto';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';
import { APP_KEY, APP_SECRET, loopbackUrls, num } from './lib/params.ts';

const EDGES_HTTP = loopbackUrls('EDGE_HTTP', 'http');
// Init code runs once per VU (__VU from 1): each VU keeps its keep-alive connections on one edge process.
const EDGE_HTTP = EDGES_HTTP[__VU % EDGES_HTTP.length]!;
const APP_ID = __ENV.APP_ID || '1';
const VUS = Math.max(1, Math.floor(num('VUS', 1)));
const DURATION_S = Math.max(1, num('DURATION_S', 30));
const RATE_PER_S = Math.max(1, Math.floor(num('RATE_PER_S', 10)));
const PAYLOAD_BYTES = Math.max(16, Math.floor(num('PAYLOAD_BYTES', 100)));
const CHANNELS = Math.max(1, Math.floor(num('CHANNELS', 1)));
const CHANNEL_KIND = __ENV.CHANNEL_KIND || 'public';
const EVENT = __ENV.EVENT || 'load';
const OVERSIZED_EVERY = Math.floor(num('OVERSIZED_EVERY', 0));
const KEEP_ALIVE = (__ENV.KEEP_ALIVE || 'true') === 'true';
const REPORT_EVERY_MS = Math.max(100, num('REPORT_EVERY_MS', 1000));
/** The API's event data limit. */
const MAX_DATA_BYTES = 10 * 1024;

export const options: Options = {
  // Keep-alive is k6's default; KEEP_ALIVE=false opens a connection per request.
  noConnectionReuse: !KEEP_ALIVE,
  discardResponseBodies: true,
  scenarios: {
    publish: {
      executor: 'constant-arrival-rate',
      rate: RATE_PER_S,
      timeUnit: '1s',
      duration: `${DURATION_S}s`,
      preAllocatedVUs: VUS,
      maxVUs: VUS,
      gracefulStop: '5s',
    },
  },
};

const results = new Counter('pusher_publish_results');
const unexpected = new Counter('pusher_publish_unexpected');

/** Pusher's request signature: HMAC-SHA256 of "METHOD\nPATH\nsorted query" (documented scheme). */
export function signedUrl(path: string, body: string, nowS: number): string {
  const query: Record<string, string> = {
    auth_key: APP_KEY,
    auth_timestamp: String(nowS),
    auth_version: '1.0',
    body_md5: crypto.md5(body, 'hex'),
  };
  const sorted = Object.keys(query)
    .sort()
    .map((k) => `${k}=${query[k]}`)
    .join('&');
  const signature = crypto.hmac('sha256', APP_SECRET, `POST\n${path}\n${sorted}`, 'hex');
  return `${EDGE_HTTP}${path}?${sorted}&auth_signature=${signature}`;
}

function payload(n: number, oversized: boolean): string {
  const head = JSON.stringify({ n, t: Date.now() });
  const size = oversized ? MAX_DATA_BYTES + 1024 : PAYLOAD_BYTES;
  return head.length >= size ? head : head + ' '.repeat(size - head.length);
}

// Per-VU tallies, flushed as one sample per (status, valid) at most once per REPORT_EVERY_MS.
let tally: Record<string, number> = {};
let missed = 0;
let lastFlush = Date.now();

function flush(): void {
  for (const key of Object.keys(tally)) {
    const [status, valid] = key.split('|');
    results.add(tally[key] ?? 0, { status: status ?? '', valid: valid ?? '' });
  }
  if (missed > 0) unexpected.add(missed);
  tally = {};
  missed = 0;
  lastFlush = Date.now();
}

export default function (): void {
  const n = exec.scenario.iterationInTest;
  const oversized = OVERSIZED_EVERY > 0 && (n + 1) % OVERSIZED_EVERY === 0;
  const prefix = CHANNEL_KIND === 'public' ? '' : `${CHANNEL_KIND}-`;
  const body = JSON.stringify({ name: EVENT, channels: [`${prefix}load-${n % CHANNELS}`], data: payload(n, oversized) });
  const path = `/apps/${APP_ID}/events`;
  const res = http.post(signedUrl(path, body, Math.floor(Date.now() / 1000)), body, {
    headers: { 'Content-Type': 'application/json' },
    // One name for every publish (k6's URL grouping): the signed URL differs per request, and as a tag
    // it would make each request a series of its own.
    tags: { valid: String(!oversized), name: 'POST /apps/{id}/events' },
    // A 413 on an oversized request is the expected answer, not a failed request.
    responseCallback: http.expectedStatuses(oversized ? 413 : 200),
  });
  const key = `${res.status}|${!oversized}`;
  tally[key] = (tally[key] ?? 0) + 1;
  if (res.status !== (oversized ? 413 : 200)) missed++;
  // Near the end every iteration flushes: a VU may get no later iteration to carry its tally.
  const nearEnd = Date.now() >= exec.scenario.startTime + DURATION_S * 1000 - REPORT_EVERY_MS - 1000;
  if (nearEnd || Date.now() - lastFlush >= REPORT_EVERY_MS) flush();
}
