import type { EventOf } from '../history/events.ts';
import { probeOfWebhookChannel } from '../history/webhook-channel.ts';
import { EDGE, labels, secondOf } from './labels.ts';
import type { SeriesStore } from './series-store.ts';

// Webhook completeness per transport (the 2022 lesson): every expected webhook must arrive, with a
// valid signature, within the deadline. A webhook not there by its deadline is counted missing at the
// deadline's second (that is when a checker could know), and late as well if it arrives afterwards.
// Expectations whose deadline falls after the history's end are pending, neither missing nor received.
// Activity through the edge is labelled deployment=edge (as REST and connects are), so an SLO can judge
// client traffic apart from a probe pinned to one deployment.
//
// Once per, and nothing unexplained: a webhook that arrives again after the receiver answered it with
// a 2xx is duplicated (the dispatcher had its acknowledgement); one that no activity in the history
// explains is stray. Both are as wrong for the customer's endpoint as a missing one.

export interface WebhookTransportSummary {
  transport: string;
  expected: number;
  received: number;
  late: number;
  missing: number;
  invalidSignature: number;
  pending: number;
  /** Arrivals of a webhook the receiver had already acknowledged with a 2xx. */
  duplicated: number;
  /** Arrivals on this transport's probe channels that no activity explains. */
  stray: number;
  byEvent: Record<string, { expected: number; received: number; missing: number }>;
}

interface Expected {
  t: number;
  transport: string;
  event: string;
  deployment: string | undefined;
  probe: string | undefined;
  /** False: explained if it comes, not missing if it does not. */
  owed: boolean;
  arrivedAt?: number;
  /** A valid arrival was answered 2xx: any later arrival is a duplicate. */
  acked?: boolean;
}

const isAck = (e: EventOf<'webhook.received'>) => e.signatureValid && (e.status === undefined || (e.status >= 200 && e.status < 300));

export class WebhookChecker {
  private readonly expected = new Map<string, Expected>();
  /**
   * Arrivals with no expectation yet. A dispatcher can deliver before the client has seen its own
   * subscription succeed (when the probe records the expectation); those are matched when it comes.
   * What is still here at the end was never expected: stray.
   */
  private readonly early = new Map<string, EventOf<'webhook.received'>[]>();
  private readonly invalid = new Map<string, number>();
  private readonly duplicated = new Map<string, number>();
  /** Transport of each probe, from its expectations: a stray on its channel is counted there. */
  private readonly probeTransport = new Map<string, string>();
  /**
   * Histories written before probes recorded every webhook they cause (with their id) cannot tell a
   * stray from an unwatched event: there, strays are counted for no probe, so no probe is charged.
   */
  private attributable = false;

  constructor(
    private readonly store: SeriesStore,
    private readonly deadlineMs: number,
  ) {}

  expectedEvent(e: EventOf<'webhook.expected'>): void {
    const owed = e.owed !== false;
    const prior = this.expected.get(e.key);
    // A "may have caused" never downgrades an owed expectation recorded for the same key.
    if (prior && (prior.owed || !owed)) return;
    if (e.probe !== undefined) {
      this.attributable = true;
      this.probeTransport.set(e.probe, e.transport);
    }
    // webhooks.expected is counted in finish(), without pending ones, so received/expected is exact.
    this.expected.set(e.key, { t: e.t, transport: e.transport, event: e.event, deployment: e.deployment, probe: e.probe, owed, ...(prior ? { arrivedAt: prior.arrivedAt, acked: prior.acked } : {}) });
    const before = this.early.get(e.key);
    if (before) {
      this.early.delete(e.key);
      for (const r of before) this.receivedEvent(r);
    }
  }

  receivedEvent(e: EventOf<'webhook.received'>): void {
    const exp = this.expected.get(e.key);
    if (!exp) {
      this.early.set(e.key, [...(this.early.get(e.key) ?? []), e]);
      return;
    }
    const l = labels({ transport: exp.transport, event: exp.event, deployment: exp.deployment ?? EDGE, probe: exp.probe });
    if (exp.acked) {
      this.duplicated.set(exp.transport, (this.duplicated.get(exp.transport) ?? 0) + 1);
      this.store.add('webhooks.duplicated', l, secondOf(e.t));
      return;
    }
    if (isAck(e)) exp.acked = true;
    if (!e.signatureValid) {
      this.invalid.set(exp.transport, (this.invalid.get(exp.transport) ?? 0) + 1);
      this.store.add('webhooks.invalidSignature', l, secondOf(e.t));
      return;
    }
    if (exp.arrivedAt !== undefined) return; // a retry after a non-2xx answer: legitimate
    exp.arrivedAt = e.t;
    if (!exp.owed) return;
    // An early arrival counts in its expectation's second, so a window never holds more received than expected.
    const sec = secondOf(Math.max(e.t, exp.t));
    if (e.t - exp.t <= this.deadlineMs) this.store.add('webhooks.received', l, sec);
    else this.store.add('webhooks.late', l, sec);
  }

  finish(endMs: number): { transports: WebhookTransportSummary[]; unexpected: number } {
    const by = new Map<string, WebhookTransportSummary>();
    const summary = (transport: string): WebhookTransportSummary => {
      let s = by.get(transport);
      if (!s) {
        by.set(transport, (s = { transport, expected: 0, received: 0, late: 0, missing: 0, invalidSignature: this.invalid.get(transport) ?? 0, pending: 0, duplicated: this.duplicated.get(transport) ?? 0, stray: 0, byEvent: {} }));
      }
      return s;
    };
    for (const exp of this.expected.values()) {
      const s = summary(exp.transport);
      if (!exp.owed) continue;
      const ev = (s.byEvent[exp.event] ??= { expected: 0, received: 0, missing: 0 });
      const due = exp.t + this.deadlineMs;
      const onTime = exp.arrivedAt !== undefined && exp.arrivedAt <= due;
      if (!onTime && due > endMs) {
        s.pending++;
        continue;
      }
      const l = labels({ transport: exp.transport, event: exp.event, deployment: exp.deployment ?? EDGE, probe: exp.probe });
      this.store.add('webhooks.expected', l, secondOf(exp.t));
      s.expected++;
      ev.expected++;
      if (onTime) {
        s.received++;
        ev.received++;
        continue;
      }
      s.missing++;
      ev.missing++;
      if (exp.arrivedAt !== undefined) s.late++;
      this.store.add('webhooks.missing', l, secondOf(due));
    }
    let unexpected = 0;
    for (const arrivals of this.early.values()) {
      for (const r of arrivals) {
        if (r.t > endMs) continue; // arrived during tear-down: its cause may not be in the judged history
        unexpected++;
        const probe = this.attributable ? probeOfWebhookChannel(r.channel) : undefined;
        const transport = probe !== undefined ? this.probeTransport.get(probe) : undefined;
        if (transport !== undefined) summary(transport).stray++;
        this.store.add('webhooks.stray', labels({ probe, transport, event: r.event }), secondOf(r.t));
      }
    }
    return { transports: [...by.values()].sort((a, b) => a.transport.localeCompare(b.transport)), unexpected };
  }
}
