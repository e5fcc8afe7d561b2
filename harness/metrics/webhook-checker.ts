import type { EventOf } from '../history/events.ts';
import { EDGE, labels, secondOf } from './labels.ts';
import type { SeriesStore } from './series-store.ts';

// Webhook completeness per transport (the 2022 lesson): every expected webhook must arrive, with a
// valid signature, within the deadline. A webhook not there by its deadline is counted missing at the
// deadline's second (that is when a checker could know), and late as well if it arrives afterwards.
// Expectations whose deadline falls after the history's end are pending, neither missing nor received.
// Activity through the edge is labelled deployment=edge (as REST and connects are), so an SLO can judge
// client traffic apart from a probe pinned to one deployment.

export interface WebhookTransportSummary {
  transport: string;
  expected: number;
  received: number;
  late: number;
  missing: number;
  invalidSignature: number;
  pending: number;
  byEvent: Record<string, { expected: number; received: number; missing: number }>;
}

interface Expected {
  t: number;
  transport: string;
  event: string;
  deployment: string | undefined;
  arrivedAt?: number;
}

export class WebhookChecker {
  private readonly expected = new Map<string, Expected>();
  /**
   * Arrivals with no expectation yet. A dispatcher can deliver before the client has seen its own
   * subscription succeed (when the probe records the expectation); those are matched when it comes.
   * What is still here at the end was never expected.
   */
  private readonly early = new Map<string, EventOf<'webhook.received'>[]>();
  private readonly invalid = new Map<string, number>();

  constructor(
    private readonly store: SeriesStore,
    private readonly deadlineMs: number,
  ) {}

  expectedEvent(e: EventOf<'webhook.expected'>): void {
    // webhooks.expected is counted in finish(), without pending ones, so received/expected is exact.
    this.expected.set(e.key, { t: e.t, transport: e.transport, event: e.event, deployment: e.deployment });
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
    const l = labels({ transport: exp.transport, event: exp.event, deployment: exp.deployment ?? EDGE });
    if (!e.signatureValid) {
      this.invalid.set(exp.transport, (this.invalid.get(exp.transport) ?? 0) + 1);
      this.store.add('webhooks.invalidSignature', l, secondOf(e.t));
      return;
    }
    if (exp.arrivedAt !== undefined) return;
    exp.arrivedAt = e.t;
    // An early arrival counts in its expectation's second, so a window never holds more received than expected.
    const sec = secondOf(Math.max(e.t, exp.t));
    if (e.t - exp.t <= this.deadlineMs) this.store.add('webhooks.received', l, sec);
    else this.store.add('webhooks.late', l, sec);
  }

  finish(endMs: number): { transports: WebhookTransportSummary[]; unexpected: number } {
    const by = new Map<string, WebhookTransportSummary>();
    for (const exp of this.expected.values()) {
      let s = by.get(exp.transport);
      if (!s) by.set(exp.transport, (s = { transport: exp.transport, expected: 0, received: 0, late: 0, missing: 0, invalidSignature: this.invalid.get(exp.transport) ?? 0, pending: 0, byEvent: {} }));
      const ev = (s.byEvent[exp.event] ??= { expected: 0, received: 0, missing: 0 });
      const due = exp.t + this.deadlineMs;
      const onTime = exp.arrivedAt !== undefined && exp.arrivedAt <= due;
      if (!onTime && due > endMs) {
        s.pending++;
        continue;
      }
      const l = labels({ transport: exp.transport, event: exp.event, deployment: exp.deployment ?? EDGE });
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
    return { transports: [...by.values()].sort((a, b) => a.transport.localeCompare(b.transport)), unexpected: [...this.early.values()].reduce((n, l) => n + l.length, 0) };
  }
}
