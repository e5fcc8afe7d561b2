/**
 * REST probe: a mix of publishes and channel queries over one keep-alive connection, every Nth
 * request an oversized publish (413 expected). Each response's fingerprint is recorded next to
 * the one its request expects, so a response that belongs to another request is visible in the
 * history; responses the server sent beyond the requests are kept as raw bytes for evidence.
 */
import type { Probe } from '../scenario/schema.ts';
import { runTicker } from '../load/timing.ts';
import type { ParsedResponse } from './http-response-reader.ts';
import { RawHttpConnection } from './raw-http-connection.ts';
import { expectedFingerprint, responseFingerprint, type RestRequestKind } from './rest-fingerprint.ts';
import { pusherSender, rawSender } from './rest-senders.ts';
import { endpointFor, ProbeTargetError, type ProbeContext, type StartedProbe } from './probe.ts';

export type RestProbeSpec = Extract<Probe, { kind: 'rest' }>;

export { OVERSIZED_DATA_BYTES } from './rest-senders.ts';
const WIRE_KEPT = 20;
const EVIDENCE_KEPT = 5;
const EVIDENCE_CONTEXT = 4;

export interface WireRecord {
  connection: string;
  /** 1-based position of the response on its connection. */
  index: number;
  status: number;
  /** The response bytes as they came off the wire (latin1, so every byte maps to one character). */
  raw: string;
}

/** A response as wire evidence: its first 300 bytes are enough to tell which request it answers. */
const wireResponse = (w: WireRecord) => ({ index: w.index, status: w.status, raw: w.raw.slice(0, 300) });

export interface WireCapture {
  /** The last responses read, in arrival order. */
  recent: WireRecord[];
  /**
   * Each time a connection carried more responses than requests: the responses that led up to it
   * (the duplicated one among them), as evidence.
   */
  evidence: WireRecord[][];
}

export interface StartedRestProbe extends StartedProbe {
  wire(): WireCapture;
}

/** The nth request (1-based) of a probe: its kind and whether the server should accept it. */
export function planRequest(spec: Pick<RestProbeSpec, 'mix' | 'oversizedEvery'>, n: number): { kind: RestRequestKind; valid: boolean } {
  if (spec.oversizedEvery > 0 && n % spec.oversizedEvery === 0) return { kind: 'publish', valid: false };
  return { kind: spec.mix[(n - 1) % spec.mix.length] ?? 'publish', valid: true };
}

export function startRestProbe(spec: RestProbeSpec, ctx: ProbeContext): StartedRestProbe {
  const { history } = ctx;
  const endpoint = spec.deployment === undefined ? (ctx.targets.rest ?? ctx.targets.edge) : endpointFor(ctx.targets, spec.deployment);
  if (!endpoint) throw new ProbeTargetError(`rest probe ${spec.id}: deployment ${spec.deployment} has no pod`);
  const where = {
    ...(endpoint.deployment !== undefined ? { deployment: endpoint.deployment } : {}),
    ...(endpoint.pod !== undefined ? { pod: endpoint.pod } : {}),
  };
  const channel = `probe-${spec.id}-rest`;
  const recent: WireRecord[] = [];
  const evidence: WireRecord[][] = [];
  const onResponse = (r: ParsedResponse, connection: string, index: number): void => {
    recent.push({ connection, index, status: r.status, raw: r.raw.toString('latin1') });
    if (recent.length > WIRE_KEPT) recent.shift();
  };
  const onUnsolicited = (_r: ParsedResponse, connection: string): void => {
    if (evidence.length >= EVIDENCE_KEPT) return;
    const context = recent.filter((w) => w.connection === connection).slice(-EVIDENCE_CONTEXT);
    evidence.push(context);
    history.record({ type: 'rest.wire', probe: spec.id, connection, kind: 'unsolicited', responses: context.map(wireResponse) });
  };
  // The `pusher` client reads responses through Node's http parser: no raw bytes, no wire evidence.
  const sender =
    spec.client === 'pusher'
      ? pusherSender(endpoint, ctx.app, channel, { keepAlive: spec.keepAlive, timeoutMs: 5000 })
      : rawSender(new RawHttpConnection(endpoint, { keepAlive: spec.keepAlive, timeoutMs: 5000, onResponse, onUnsolicited }), ctx.app, channel);
  const abort = new AbortController();
  let busy = false;
  let count = 0;
  let inFlight: Promise<void> = Promise.resolve();

  // Through an HTTP proxy the extra copy never reaches the client as an unsolicited response (the
  // proxy drops the server connection that carried it); what does reach it is the copy answering the
  // next request. Keep the bytes of that response and the one before it: the same 413, twice.
  let misalignedKept = 0;
  const misalignedEvidence = (id: string, expected: string, got: string): void => {
    const last = recent[recent.length - 1];
    if (!last || misalignedKept >= EVIDENCE_KEPT) return;
    misalignedKept++;
    const context = recent.filter((w) => w.connection === last.connection).slice(-2);
    history.record({ type: 'rest.wire', probe: spec.id, connection: last.connection, kind: 'misaligned', request: id, expected, got, responses: context.map(wireResponse) });
  };

  const send = async (n: number): Promise<void> => {
    const { kind, valid } = planRequest(spec, n);
    const id = `${spec.id}-${n}`;
    const expected = expectedFingerprint(kind, valid);
    const started = performance.now();
    const { connection, answer } = sender.send(kind, valid, n);
    history.record({ type: 'rest.request', probe: spec.id, id, ...where, kind, valid, ...(connection !== undefined ? { connection } : {}) });
    try {
      const res = await answer;
      const got = responseFingerprint(res.status, res.body);
      if (got !== expected) misalignedEvidence(id, expected, got);
      history.record({ type: 'rest.response', probe: spec.id, id, ...where, status: res.status, expected, got, latencyMs: performance.now() - started });
    } catch (err) {
      history.record({ type: 'rest.response', probe: spec.id, id, ...where, status: 0, expected, got: `no-response: ${(err as Error).message}` });
    }
  };

  const loop = runTicker({
    ratePerS: spec.ratePerS,
    maxDurationMs: ctx.maxDurationS * 1000,
    signal: abort.signal,
    onTick: () => {
      // One request at a time on the connection: a slow answer skips ticks, never queues them.
      if (busy) return;
      busy = true;
      inFlight = send(++count).finally(() => (busy = false));
    },
  });

  return {
    id: spec.id,
    kind: 'rest',
    wire: () => ({ recent: [...recent], evidence: evidence.map((e) => [...e]) }),
    stop: async () => {
      abort.abort();
      await loop;
      await inFlight;
      sender.close();
    },
  };
}
