import type { EventOf } from '../history/events.ts';
import { labels, secondOf } from './labels.ts';
import type { SeriesStore } from './series-store.ts';

// The Jepsen-style delivery checker. Each probe publishes numbered messages; each subscriber of the
// probe channel is one stream. Per stream: a message received twice is duplicated, one received after
// a higher number is reordered, one never received is lost. Messages sent within `graceMs` of the
// history's end are pending, not lost: the run ended before they could arrive.

export interface DeliveryStreamSummary {
  probe: string;
  subscriber: string;
  transport: string;
  deployment: string | undefined;
  sent: number;
  received: number;
  lost: number;
  duplicated: number;
  reordered: number;
  pending: number;
  /** First few lost sequence numbers, for the report. */
  lostSeqs: number[];
}

interface Sent {
  t: number;
  transport: string;
  deployment: string | undefined;
}

interface Stream {
  seen: Map<number, number>;
  maxSeq: number;
  duplicated: number;
  reordered: number;
}

const DEFAULT_SUBSCRIBER = '-';

export class DeliveryChecker {
  private readonly sent = new Map<string, Map<number, Sent>>();
  private readonly streams = new Map<string, Map<string, Stream>>();

  constructor(private readonly store: SeriesStore) {}

  sentEvent(e: EventOf<'probe.sent'>): void {
    let bySeq = this.sent.get(e.probe);
    if (!bySeq) this.sent.set(e.probe, (bySeq = new Map()));
    // messages.sent is counted in finish(), per stream and without pending messages, so that
    // messages.received / messages.sent is a true delivery ratio.
    bySeq.set(e.seq, { t: e.t, transport: e.transport, deployment: e.deployment });
  }

  receivedEvent(e: EventOf<'probe.received'>): void {
    let subs = this.streams.get(e.probe);
    if (!subs) this.streams.set(e.probe, (subs = new Map()));
    const name = e.subscriber ?? DEFAULT_SUBSCRIBER;
    let s = subs.get(name);
    if (!s) subs.set(name, (s = { seen: new Map(), maxSeq: -1, duplicated: 0, reordered: 0 }));
    const l = labels({ probe: e.probe, transport: e.transport, deployment: e.deployment });
    const sec = secondOf(e.t);
    const count = (s.seen.get(e.seq) ?? 0) + 1;
    s.seen.set(e.seq, count);
    if (count > 1) {
      s.duplicated++;
      this.store.add('delivery.duplicated', l, sec);
      return;
    }
    if (e.seq < s.maxSeq) {
      s.reordered++;
      this.store.add('delivery.reordered', l, sec);
    }
    s.maxSeq = Math.max(s.maxSeq, e.seq);
    this.store.add('messages.received', l, sec);
    this.store.record('delivery.latency', l, sec, e.latencyMs);
  }

  /** Decide lost vs pending once the history is complete. */
  finish(endMs: number, graceMs: number): DeliveryStreamSummary[] {
    const out: DeliveryStreamSummary[] = [];
    for (const [probe, bySeq] of this.sent) {
      const subs = this.streams.get(probe) ?? new Map<string, Stream>([[DEFAULT_SUBSCRIBER, { seen: new Map(), maxSeq: -1, duplicated: 0, reordered: 0 }]]);
      const first = bySeq.values().next().value as Sent | undefined;
      for (const [subscriber, s] of subs) {
        let lost = 0;
        let pending = 0;
        let received = 0;
        const lostSeqs: number[] = [];
        for (const [seq, sent] of bySeq) {
          const l = labels({ probe, transport: sent.transport, deployment: sent.deployment });
          if (!s.seen.has(seq) && sent.t > endMs - graceMs) {
            pending++;
            continue;
          }
          this.store.add('messages.sent', l, secondOf(sent.t));
          if (s.seen.has(seq)) {
            received++;
            continue;
          }
          lost++;
          if (lostSeqs.length < 20) lostSeqs.push(seq);
          this.store.add('delivery.lost', l, secondOf(sent.t));
        }
        out.push({
          probe,
          subscriber,
          transport: first?.transport ?? 'ws',
          deployment: first?.deployment,
          sent: bySeq.size - pending,
          received,
          lost,
          duplicated: s.duplicated,
          reordered: s.reordered,
          pending,
          lostSeqs,
        });
      }
    }
    return out;
  }
}
