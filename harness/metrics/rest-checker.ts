import type { EventOf } from '../history/events.ts';
import { EDGE, labels, secondOf } from './labels.ts';
import type { SeriesStore } from './series-store.ts';

// The REST alignment checker (the 2020 lesson): each response must carry the fingerprint of its own
// request. On a keep-alive connection a server that answers one request twice shifts every later
// response by one: statuses may still look plausible, fingerprints do not.

export interface RestSummary {
  requests: number;
  responses: number;
  aligned: number;
  misaligned: number;
  unanswered: number;
  validRequests: number;
  valid4xx: number;
  byStatusClass: Record<string, number>;
  /** First few misaligned responses: what was expected and what came back. */
  examples: { id: string; t: number; status: number; expected: string; got: string }[];
}

export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

export class RestChecker {
  private readonly open = new Map<string, { valid: boolean; kind: string }>();
  private readonly summary: RestSummary = {
    requests: 0,
    responses: 0,
    aligned: 0,
    misaligned: 0,
    unanswered: 0,
    validRequests: 0,
    valid4xx: 0,
    byStatusClass: {},
    examples: [],
  };

  constructor(private readonly store: SeriesStore) {}

  request(e: EventOf<'rest.request'>): void {
    const l = labels({ probe: e.probe, deployment: e.deployment ?? EDGE, kind: e.kind });
    const sec = secondOf(e.t);
    this.open.set(`${e.probe}/${e.id}`, { valid: e.valid, kind: e.kind });
    this.summary.requests++;
    this.store.add('rest.requests', l, sec);
    if (e.valid) {
      this.summary.validRequests++;
      this.store.add('rest.valid', l, sec);
    }
  }

  response(e: EventOf<'rest.response'>): void {
    const cls = statusClass(e.status);
    const req = this.open.get(`${e.probe}/${e.id}`);
    // The request kind (publish, channel-info) labels the response so "publish success" is selectable.
    const l = labels({ probe: e.probe, deployment: e.deployment ?? EDGE, kind: req?.kind ?? 'unknown' });
    const sec = secondOf(e.t);
    this.open.delete(`${e.probe}/${e.id}`);
    this.summary.responses++;
    this.summary.byStatusClass[cls] = (this.summary.byStatusClass[cls] ?? 0) + 1;
    this.store.add('rest.responses', { ...l, status: cls }, sec);
    this.store.add(`rest.status${cls}`, l, sec);
    if (e.latencyMs !== undefined) this.store.record('rest.latency', l, sec, e.latencyMs);
    if (req?.valid && cls === '4xx') {
      this.summary.valid4xx++;
      this.store.add('rest.valid4xx', l, sec);
    }
    if (e.expected === e.got) {
      this.summary.aligned++;
      this.store.add('rest.aligned', l, sec);
    } else {
      this.summary.misaligned++;
      this.store.add('rest.misaligned', l, sec);
      if (this.summary.examples.length < 10) this.summary.examples.push({ id: e.id, t: e.t, status: e.status, expected: e.expected, got: e.got });
    }
  }

  finish(): RestSummary {
    this.summary.unanswered = this.open.size;
    return this.summary;
  }
}
