// Many Pusher WebSocket subscribers per VU (k6/websockets): connect, wait for
// connection_established, subscribe (private/presence signed locally with the app secret), count
// received events, and record connect failures and closes as tagged custom metrics. Message counts
// are flushed once per REPORT_EVERY_MS per VU, never one sample per message.
//
// Parameters (__ENV): EDGE_WS (ws://127.0.0.1:port, or several comma-separated: one per edge
// process, each socket's attempts take them in turn), APP_KEY, APP_SECRET, VUS,
// DURATION_S, SOCKETS_PER_VU, MAX_CONNECTIONS, CHANNELS, CHANNEL_KIND (public|private|presence),
// RAMP_S, RECONNECT (true|false), RECONNECT_DELAY_MS, RECONNECT_MAX_DELAY_MS, RECONNECT_JITTER
// (true|false), ESTABLISHED_TIMEOUT_MS, REPORT_EVERY_MS; churn (load.k6[].churn):
// CHURN_SHARE_PER_S (0 = none; at most 0.2), CHURN_FROM_S, CHURN_TO_S, CHURN_AWAY_MS, SEED.
// Churn: each second of [CHURN_FROM_S, CHURN_TO_S) a seeded share of each VU's open sockets closes
// cleanly (a user leaving) and reconnects CHURN_AWAY_MS later; counted as pusher_churned and as a
// close with abnormal=false, reason=churn, never as a drop.
import { WebSocket } from 'k6/websockets';
import { Counter, Trend } from 'k6/metrics';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'k6/timers';
import crypto from 'k6/crypto';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { APP_KEY, APP_SECRET, loopbackUrls, num } from './lib/params.ts';

const EDGES_WS = loopbackUrls('EDGE_WS', 'ws');
const VUS = Math.max(1, Math.floor(num('VUS', 1)));
const DURATION_S = num('DURATION_S', 30);
const MAX_CONNECTIONS = Math.max(1, Math.floor(num('MAX_CONNECTIONS', 5000)));
// Never more sockets in total than the scenario's connection bound.
const SOCKETS_PER_VU = Math.max(1, Math.min(Math.floor(num('SOCKETS_PER_VU', 10)), Math.floor(MAX_CONNECTIONS / VUS)));
const CHANNELS = Math.max(1, Math.floor(num('CHANNELS', 1)));
const CHANNEL_KIND = __ENV.CHANNEL_KIND || 'public';
if (!['public', 'private', 'presence'].includes(CHANNEL_KIND)) throw new Error(`CHANNEL_KIND=${CHANNEL_KIND}: expected public, private or presence`);
const RAMP_MS = num('RAMP_S', 0) * 1000;
const RECONNECT = (__ENV.RECONNECT || 'true') === 'true';
const RECONNECT_DELAY_MS = num('RECONNECT_DELAY_MS', 1000);
// Backoff as pusher-js and the Node population's `backoff` strategy: the delay doubles with each
// failure in a row up to RECONNECT_MAX_DELAY_MS (default: no growth), drawn uniformly below it with
// jitter. An established connection starts the count over.
const RECONNECT_MAX_DELAY_MS = Math.max(RECONNECT_DELAY_MS, num('RECONNECT_MAX_DELAY_MS', RECONNECT_DELAY_MS));
const RECONNECT_JITTER = (__ENV.RECONNECT_JITTER || 'false') === 'true';
const REPORT_EVERY_MS = Math.max(100, num('REPORT_EVERY_MS', 1000));
// An attempt must see connection_established this soon, or it is a failure (reason no_established)
// and the socket tries again, as pusher-js does (15 s: its first WebSocket attempt's timeout).
// Besides a server that never sends it, k6 2.2 itself loses it now and then: its reader may queue
// a frame that arrives with the handshake ahead of the socket's open, and a frame delivered before
// open is dropped (websockets.go, queueMessage). Measured here under CPU load: about 1 socket in
// 3,000. 0: no deadline.
const ESTABLISHED_TIMEOUT_MS = Math.max(0, num('ESTABLISHED_TIMEOUT_MS', 15_000));
const MAX_ATTEMPTS_PER_SOCKET = Math.max(1, Math.floor(num('MAX_ATTEMPTS_PER_SOCKET', 1000)));
const CHURN_SHARE_PER_S = num('CHURN_SHARE_PER_S', 0);
if (CHURN_SHARE_PER_S > 0.2) throw new Error(`CHURN_SHARE_PER_S=${CHURN_SHARE_PER_S}: expected a share per second of at most 0.2`);
const CHURN_FROM_MS = num('CHURN_FROM_S', RAMP_MS / 1000) * 1000;
const CHURN_TO_MS = num('CHURN_TO_S', DURATION_S) * 1000;
const CHURN_AWAY_MS = Math.min(60_000, num('CHURN_AWAY_MS', 1000));
const SEED = Math.floor(num('SEED', 1));

export const options: Options = {
  scenarios: {
    subscribers: {
      executor: 'per-vu-iterations',
      vus: VUS,
      iterations: 1,
      // The iteration ends itself at DURATION_S; this is the hard stop behind it.
      maxDuration: `${Math.ceil(DURATION_S) + 10}s`,
      gracefulStop: '3s',
    },
  },
};

const TAGS = { transport: 'ws' };
const attempts = new Counter('pusher_connect_attempts');
const connected = new Counter('pusher_connected');
const failures = new Counter('pusher_connect_failures');
const closes = new Counter('pusher_closes');
const subscribed = new Counter('pusher_subscribed');
const received = new Counter('pusher_messages_received');
const connectTime = new Trend('pusher_connect_time', true);
const churned = new Counter('pusher_churned');

/** xorshift32 seeded per VU: the same seed picks the same sockets (as the Node population's churn plan). */
export function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

interface CloseEventLike {
  code?: number;
  reason?: string;
}

/** k6 gives a close code only when a close frame came; otherwise the error text says what broke. */
export function classify(error: string, code: number | undefined): { reason: string; code: string } {
  if (code !== undefined && code !== 1005) return { reason: 'close', code: String(code) };
  if (/refused/i.test(error)) return { reason: 'refused', code: '' };
  // A non-101 answer to the upgrade (502/503 from the edge); the status is on k6's ws_sessions tag.
  if (/bad handshake/i.test(error)) return { reason: 'http', code: '' };
  if (/EOF|reset|broken pipe|abnormal/i.test(error)) return { reason: 'close', code: '1006' };
  if (/timeout|deadline/i.test(error)) return { reason: 'timeout', code: '' };
  return { reason: 'error', code: '' };
}

function channelAuth(socketId: string, channel: string, channelData?: string): string {
  const toSign = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  return `${APP_KEY}:${crypto.hmac('sha256', APP_SECRET, toSign, 'hex')}`;
}

function subscribeFrame(socketId: string, channel: string, userId: string): string {
  const data: Record<string, string> = { channel };
  if (CHANNEL_KIND === 'private') data.auth = channelAuth(socketId, channel);
  if (CHANNEL_KIND === 'presence') {
    data.channel_data = JSON.stringify({ user_id: userId });
    data.auth = channelAuth(socketId, channel, data.channel_data);
  }
  return JSON.stringify({ event: 'pusher:subscribe', data });
}

function channelFor(vu: number, slot: number): string {
  const prefix = CHANNEL_KIND === 'public' ? '' : `${CHANNEL_KIND}-`;
  return `${prefix}load-${(vu * SOCKETS_PER_VU + slot) % CHANNELS}`;
}

export default function (): void {
  // The VU's number in the whole test, unique across the processes of a split run (execution
  // segments, where __VU starts at 1 in each): channels, client ids and seeds stay those of one run.
  const vu = exec.vu.idInTest;
  const endAt = Date.now() + DURATION_S * 1000;
  const sockets: (WebSocket | undefined)[] = [];
  /** Slots whose next close is churn: counted apart and reconnected after CHURN_AWAY_MS. */
  const leaving: boolean[] = [];
  /** Failed attempts in a row per slot (the backoff's exponent). */
  const failedInRow: number[] = [];
  const random = seededRandom(SEED * 7919 + vu);
  const startedAt = Date.now();
  let messages = 0;
  let stopping = false;

  /** Sockets to close as soon as their handshake completes. */
  const closeOnOpen = new Set<WebSocket>();
  // k6 2.2's close() on a socket still connecting waits for the socket's writer, which starts only
  // once the handshake succeeds: a handshake that then fails would block the VU for good. So a
  // connecting socket is closed when it opens; one that fails closes by itself.
  const closeWhenOpen = (ws: WebSocket): void => {
    // 0 connecting, 1 open (numbers: the class constants are types only in k6).
    if (ws.readyState === 1) ws.close();
    else if (ws.readyState === 0) closeOnOpen.add(ws);
  };

  const open = (slot: number, attempt: number): void => {
    if (stopping || Date.now() >= endAt || attempt >= MAX_ATTEMPTS_PER_SOCKET) return;
    attempts.add(1, TAGS);
    const started = Date.now();
    // Round-robin over the edge processes, by socket and attempt: a retry tries the next edge.
    const edge = EDGES_WS[((vu - 1) * SOCKETS_PER_VU + slot + attempt) % EDGES_WS.length];
    const ws = new WebSocket(`${edge}/app/${APP_KEY}?protocol=7&client=k6&version=8.4.0`);
    sockets[slot] = ws;
    let established = false;
    let lastError = '';
    let noEstablished = false;
    const deadline =
      ESTABLISHED_TIMEOUT_MS > 0
        ? setTimeout(() => {
            if (established) return;
            noEstablished = true;
            closeWhenOpen(ws);
          }, ESTABLISHED_TIMEOUT_MS)
        : undefined;
    ws.addEventListener('open', () => {
      if (closeOnOpen.has(ws)) ws.close();
    });
    ws.addEventListener('message', (e) => {
      const text = typeof (e as { data?: unknown }).data === 'string' ? ((e as { data: string }).data) : '';
      // Cheap test first: only protocol frames are parsed, app events are just counted.
      if (text.indexOf('"pusher') < 0) {
        messages++;
        return;
      }
      const frame = JSON.parse(text) as { event?: string; data?: unknown };
      if (frame.event === 'pusher:connection_established' && !established) {
        established = true;
        if (deadline !== undefined) clearTimeout(deadline);
        failedInRow[slot] = 0;
        connected.add(1, TAGS);
        connectTime.add(Date.now() - started, TAGS);
        const data = JSON.parse(String(frame.data)) as { socket_id: string };
        ws.send(subscribeFrame(data.socket_id, channelFor(vu, slot), `k6-${vu}-${slot}`));
      } else if (frame.event === 'pusher_internal:subscription_succeeded') {
        subscribed.add(1, TAGS);
      } else if (frame.event === 'pusher:ping') {
        ws.send('{"event":"pusher:pong","data":{}}');
      }
    });
    ws.addEventListener('error', (e) => {
      lastError = String((e as { error?: unknown }).error ?? '');
    });
    ws.addEventListener('close', (e) => {
      if (deadline !== undefined) clearTimeout(deadline);
      closeOnOpen.delete(ws);
      const c = noEstablished ? { reason: 'no_established', code: '' } : classify(lastError, (e as unknown as CloseEventLike).code);
      const churn = leaving[slot] === true;
      leaving[slot] = false;
      if (churn) {
        churned.add(1, TAGS);
        closes.add(1, { ...TAGS, code: c.code, abnormal: 'false', reason: 'churn' });
      } else if (!established) failures.add(1, { ...TAGS, reason: c.reason, code: c.code });
      else closes.add(1, { ...TAGS, code: c.code, abnormal: String(!stopping), reason: c.reason });
      if (sockets[slot] === ws) sockets[slot] = undefined;
      // A user who left comes back as a new session (attempts start over).
      if (churn && !stopping) setTimeout(() => open(slot, 0), CHURN_AWAY_MS);
      else if (RECONNECT && !stopping) {
        if (!established) failedInRow[slot] = (failedInRow[slot] ?? 0) + 1;
        const ceiling = Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_DELAY_MS * 2 ** Math.max(0, (failedInRow[slot] ?? 0) - 1));
        setTimeout(() => open(slot, attempt + 1), RECONNECT_JITTER ? Math.floor(random() * ceiling) : ceiling);
      }
    });
  };

  for (let slot = 0; slot < SOCKETS_PER_VU; slot++) {
    setTimeout(() => open(slot, 0), (slot * RAMP_MS) / SOCKETS_PER_VU);
  }
  const flush = (): void => {
    if (messages > 0) received.add(messages, TAGS);
    messages = 0;
  };
  const reporter = setInterval(flush, REPORT_EVERY_MS);
  // Each second owes share × sockets departures; the fraction carries over. Distinct open sockets,
  // seeded, each at a seeded moment inside the second.
  let owed = 0;
  const churner =
    CHURN_SHARE_PER_S > 0
      ? setInterval(() => {
          const now = Date.now() - startedAt;
          if (stopping || now < CHURN_FROM_MS || now >= CHURN_TO_MS) return;
          owed += CHURN_SHARE_PER_S * SOCKETS_PER_VU;
          const n = Math.floor(owed + 1e-9);
          owed -= n;
          const slots = Array.from({ length: SOCKETS_PER_VU }, (_, i) => i);
          for (let j = 0; j < n; j++) {
            const r = j + Math.floor(random() * (SOCKETS_PER_VU - j));
            const picked = slots[r]!;
            slots[r] = slots[j]!;
            slots[j] = picked;
            const ws = sockets[picked];
            if (!ws || ws.readyState !== 1 || leaving[picked]) continue;
            setTimeout(() => {
              if (stopping || sockets[picked] !== ws || ws.readyState !== 1) return;
              leaving[picked] = true;
              ws.close();
            }, Math.floor(random() * 1000));
          }
        }, 1000)
      : undefined;
  setTimeout(() => {
    stopping = true;
    clearInterval(reporter);
    if (churner !== undefined) clearInterval(churner);
    flush();
    for (const ws of sockets) if (ws) closeWhenOpen(ws);
  }, Math.max(0, endAt - Date.now()));
}
