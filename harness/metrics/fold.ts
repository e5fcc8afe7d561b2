import type { EventMatcher } from '../scenario/conditions.ts';
import type { EventOf, HistoryEvent } from '../history/events.ts';
import { reasonKey } from '../history/events.ts';
import { matcherKey, matchesEvent } from '../history/event-matcher.ts';
import { isK6Trend } from '../scenario/metric-names.ts';
import { DeliveryChecker, type DeliveryStreamSummary } from './delivery-checker.ts';
import { EDGE, labels, secondOf } from './labels.ts';
import { RestChecker, type RestSummary } from './rest-checker.ts';
import { SeriesStore } from './series-store.ts';
import { SourceTracker, type SourceRecord } from './sources.ts';
import { WebhookChecker, type WebhookTransportSummary } from './webhook-checker.ts';

// One streaming pass over the history. Memory grows with seconds x series (and with in-flight probe
// messages), not with the number of events, so a saved history of any length can be folded.

export interface ActionRecord {
  index: number;
  action: string;
  target: string;
  /** Planned replay second. */
  at: number;
  startedMs: number | undefined;
  appliedMs: number | undefined;
  failedMs: number | undefined;
  error: string | undefined;
  evidence: Record<string, unknown> | undefined;
}

export interface LogRecord {
  t: number;
  source: string;
  stream: string;
  line: string;
  tag: string | undefined;
}

export interface Observation {
  meta: EventOf<'run.meta'> | undefined;
  phases: { phase: string; t: number }[];
  /** Time of the last event. */
  endMs: number;
  /**
   * End of the replay proper: the start of the teardown phase if recorded, else the last event.
   * Whole-run SLOs and lost/missing decisions stop here, so tear-down noise is not judged.
   */
  replayEndMs: number;
  /** Seconds judged as "the whole run": [0, replayS). */
  replayS: number;
  events: number;
  metrics: SeriesStore;
  actions: ActionRecord[];
  /** Tagged and stderr log lines (bounded). */
  logs: LogRecord[];
  /** First time (ms) each watched matcher matched, by matcherKey. */
  firstMatch: Record<string, number>;
  delivery: DeliveryStreamSummary[];
  rest: RestSummary;
  webhooks: { transports: WebhookTransportSummary[]; unexpected: number };
  /** The run.ended event: present only when the history covers the whole replay. */
  ended: EventOf<'run.ended'> | undefined;
  /** When each signal source (probe, pod sampler, k6) was heard from, and its silences. */
  sources: SourceRecord[];
  /** Each cap probe's finding at its pod's connection limit. */
  limits: EventOf<'limit.checked'>[];
  /** Each fallback-queue probe's finding at its pod's request limiter. */
  queues: EventOf<'queue.checked'>[];
  /** Each memory-headroom probe's fill of a pod to its sized connections. */
  memoryFills: EventOf<'memory.checked'>[];
  /** Every typed evidence event, in history order: never cut, unlike log lines. */
  evidence: EvidenceEvents;
}

/** The typed evidence events of a run, by type. Their number grows with actions and pods, not with time. */
export interface EvidenceEvents {
  /** What faults changed, as the run left them; null in histories without it. */
  faultState: EventOf<'faults.state'> | null;
  pods: EventOf<'pod.final'>[];
  deploys: EventOf<'deploy.pod'>[];
  gates: EventOf<'gate.checked'>[];
  rollbacks: EventOf<'rollback.decided'>[];
  heals: EventOf<'action.healed'>[];
  livenessRestarts: EventOf<'liveness.restart'>[];
  wire: EventOf<'rest.wire'>[];
}

export interface FoldOptions {
  /** Matchers whose first matching event time is wanted (detection faults, recovery starts). */
  matchers?: EventMatcher[];
  webhookDeadlineMs?: number;
  /** Probe messages sent this close to the end are pending, not lost. */
  deliveryGraceMs?: number;
  /** The run's planned length: series cover it even when the last seconds were quiet. */
  durationS?: number;
  maxLogs?: number;
}

const WEBHOOK_PROBE_CLIENT = /^(.+)\/wh-\d+$/;

export class MetricsFold {
  private readonly store = new SeriesStore();
  private readonly delivery = new DeliveryChecker(this.store);
  private readonly rest = new RestChecker(this.store);
  private readonly webhooks: WebhookChecker;
  private readonly pods = new Map<string, { restarts: number; state: string; transports: string[] }>();
  private readonly actions = new Map<number, ActionRecord>();
  private readonly logs: LogRecord[] = [];
  private readonly limits: EventOf<'limit.checked'>[] = [];
  private readonly queues: EventOf<'queue.checked'>[] = [];
  private readonly memoryFills: EventOf<'memory.checked'>[] = [];
  private readonly evidence: EvidenceEvents = { faultState: null, pods: [], deploys: [], gates: [], rollbacks: [], heals: [], livenessRestarts: [], wire: [] };
  private readonly phases: { phase: string; t: number }[] = [];
  private readonly firstMatch: Record<string, number> = {};
  private readonly sources = new SourceTracker();
  private ended: EventOf<'run.ended'> | undefined;
  private meta: EventOf<'run.meta'> | undefined;
  private endMs = 0;
  private teardownMs: number | undefined;
  private finished: Observation | undefined;
  private count = 0;

  constructor(private readonly options: FoldOptions = {}) {
    this.webhooks = new WebhookChecker(this.store, options.webhookDeadlineMs ?? 5000);
  }

  add(e: HistoryEvent): void {
    if (this.finished) throw new Error('MetricsFold: add() after finish()');
    this.count++;
    // An aggregate is written after the second it covers: what it saw happened from firstMs to lastMs.
    const lastMs = e.type === 'k6.aggregate' ? e.lastMs : e.t;
    if (lastMs > this.endMs) this.endMs = lastMs;
    for (const m of this.options.matchers ?? []) {
      const key = matcherKey(m);
      if (this.firstMatch[key] === undefined && matchesEvent(e, m)) this.firstMatch[key] = e.type === 'k6.aggregate' ? e.firstMs : e.t;
    }
    const sec = secondOf(e.t);
    switch (e.type) {
      case 'run.meta':
        this.meta = e;
        break;
      case 'run.ended':
        this.ended = e;
        break;
      case 'run.phase':
        this.phases.push({ phase: e.phase, t: e.t });
        if (e.phase === 'teardown' && this.teardownMs === undefined) this.teardownMs = e.t;
        break;
      case 'action.started':
        this.action(e).startedMs = e.t;
        break;
      case 'action.applied': {
        const a = this.action(e);
        a.appliedMs = e.t;
        a.evidence = e.evidence;
        break;
      }
      case 'action.failed': {
        const a = this.action(e);
        a.failedMs = e.t;
        a.error = e.error;
        a.evidence = e.evidence ?? a.evidence;
        break;
      }
      case 'connect.attempt': {
        // Attempts are counted from outcomes, so attempts = successes + failures exactly. A webhook
        // probe's tick is one fresh client (`<probe>/wh-<n>`): its attempts are that probe's sends.
        const wh = e.source === 'probe' ? WEBHOOK_PROBE_CLIENT.exec(e.client) : null;
        if (wh) this.sources.seen('probe', wh[1]!, labels({ probe: wh[1], transport: e.transport }), e.t);
        break;
      }
      case 'connect.outcome': {
        const l = labels({ deployment: e.deployment ?? EDGE, pod: e.pod, transport: e.transport, source: e.source });
        this.store.add('connect.attempts', l, sec);
        if (e.ok) this.store.add('connect.successes', l, sec);
        else this.store.add('connect.failures', { ...l, reason: reasonKey(e) }, sec);
        if (e.latencyMs !== undefined) this.store.record('connect.latency', l, sec, e.latencyMs);
        break;
      }
      case 'connect.closed': {
        const l = labels({ deployment: e.deployment ?? EDGE, pod: e.pod, transport: e.transport, source: e.source });
        this.store.add('connections.closed', l, sec);
        // Same label format as connect failures (close:1006), so one filter reads both.
        if (e.abnormal) this.store.add('connections.dropped', { ...l, reason: e.code === undefined ? 'unknown' : `close:${e.code}` }, sec);
        break;
      }
      case 'client.churned':
        this.store.add('connections.churned', labels({ deployment: e.deployment ?? EDGE, pod: e.pod, transport: e.transport, source: e.source }), sec);
        break;
      case 'pod.sample':
        this.sources.seen('sampler', 'pods', {}, e.t);
        this.podSample(e, sec);
        break;
      case 'k6.point': {
        const l = k6Labels(e.tags);
        this.sources.seen('k6', 'k6', {}, e.t);
        this.store.add('k6.points', {}, sec);
        this.store.add(`k6.${e.metric}`, l, sec, e.value);
        if (isK6Trend(e.metric)) this.store.record(`k6.${e.metric}`, l, sec, e.value);
        break;
      }
      case 'k6.aggregate':
        // The same series as its samples one by one would make (k6.point above).
        this.sources.seen('k6', 'k6', {}, e.firstMs);
        this.sources.seen('k6', 'k6', {}, e.lastMs);
        for (const p of e.processes ?? []) {
          this.sources.seen('k6', p.name, {}, p.firstMs);
          this.sources.seen('k6', p.name, {}, p.lastMs);
        }
        for (const s of e.series) {
          const l = k6Labels(s.tags);
          this.store.add('k6.points', {}, e.second, s.count);
          this.store.add(`k6.${s.metric}`, l, e.second, s.sum);
          if (isK6Trend(s.metric) && s.hdr !== undefined) this.store.recordEncoded(`k6.${s.metric}`, l, e.second, { hdr: s.hdr, min: s.min, max: s.max });
        }
        break;
      case 'probe.sent':
        this.sources.seen('probe', e.probe, labels({ probe: e.probe, transport: e.transport, deployment: e.deployment }), e.t);
        this.delivery.sentEvent(e);
        break;
      case 'probe.received':
        this.delivery.receivedEvent(e);
        break;
      case 'rest.request':
        this.sources.seen('probe', e.probe, labels({ probe: e.probe, deployment: e.deployment ?? EDGE }), e.t);
        this.rest.request(e);
        break;
      case 'rest.response':
        this.rest.response(e);
        break;
      case 'webhook.expected':
        this.webhooks.expectedEvent(e);
        break;
      case 'webhook.received':
        this.webhooks.receivedEvent(e);
        break;
      case 'limit.checked':
        this.limits.push(e);
        break;
      case 'queue.checked':
        this.queues.push(e);
        break;
      case 'memory.checked':
        this.memoryFills.push(e);
        break;
      case 'faults.state':
        this.evidence.faultState = e;
        break;
      case 'pod.final':
        this.evidence.pods.push(e);
        break;
      case 'deploy.pod':
        this.evidence.deploys.push(e);
        break;
      case 'gate.checked':
        this.evidence.gates.push(e);
        break;
      case 'rollback.decided':
        this.evidence.rollbacks.push(e);
        break;
      case 'action.healed':
        this.evidence.heals.push(e);
        break;
      case 'liveness.restart':
        this.evidence.livenessRestarts.push(e);
        break;
      case 'rest.wire':
        this.evidence.wire.push(e);
        break;
      case 'log.line':
        this.store.add('log.lines', labels({ tag: e.tag }), sec);
        if ((e.tag !== undefined || e.stream === 'stderr') && this.logs.length < (this.options.maxLogs ?? 500)) {
          this.logs.push({ t: e.t, source: e.source, stream: e.stream, line: e.line, tag: e.tag });
        }
        break;
    }
  }

  /**
   * The view so far, while the run goes on (live conditions, the progress line). Read-only by
   * convention: per-second series and first matches only; lost/missing are decided by finish().
   */
  get live(): { readonly metrics: SeriesStore; readonly firstMatch: Readonly<Record<string, number>> } {
    return { metrics: this.store, firstMatch: this.firstMatch };
  }

  /** Decides lost/missing/pending once; later calls return the same observation. */
  finish(): Observation {
    if (this.finished) return this.finished;
    if (this.options.durationS !== undefined) this.store.extendTo(this.options.durationS);
    this.store.extendTo(secondOf(this.endMs) + 1);
    const replayEndMs = this.teardownMs ?? this.endMs;
    return (this.finished = {
      meta: this.meta,
      phases: this.phases,
      endMs: this.endMs,
      replayEndMs,
      replayS: this.teardownMs !== undefined ? Math.ceil(this.teardownMs / 1000) : this.count > 0 ? secondOf(this.endMs) + 1 : 0,
      events: this.count,
      metrics: this.store,
      actions: [...this.actions.values()].sort((a, b) => a.index - b.index),
      logs: this.logs,
      firstMatch: this.firstMatch,
      delivery: this.delivery.finish(replayEndMs, this.options.deliveryGraceMs ?? 5000),
      rest: this.rest.finish(),
      webhooks: this.webhooks.finish(replayEndMs),
      ended: this.ended,
      sources: this.sources.finish(),
      limits: this.limits,
      queues: this.queues,
      memoryFills: this.memoryFills,
      evidence: this.evidence,
    });
  }

  private action(e: { index: number; action: string; target: string; at?: number }): ActionRecord {
    let a = this.actions.get(e.index);
    if (!a) {
      a = { index: e.index, action: e.action, target: e.target, at: e.at ?? 0, startedMs: undefined, appliedMs: undefined, failedMs: undefined, error: undefined, evidence: undefined };
      this.actions.set(e.index, a);
    }
    if (e.at !== undefined) a.at = e.at;
    return a;
  }

  private podSample(e: EventOf<'pod.sample'>, sec: number): void {
    const l = { deployment: e.deployment, pod: e.pod };
    const prev = this.pods.get(e.pod);
    this.store.add('pod.samples', l, sec);
    if (prev && e.restarts > prev.restarts) this.store.add('pod.restarts', l, sec, e.restarts - prev.restarts);
    // A kill seen dead, or one the restart policy undid between two samples: restarted, with Docker's
    // OOM flag now set (a restart the previous sample already saw dead is not counted twice).
    const restarted = prev !== undefined && e.restarts > prev.restarts;
    const oomKilledBetween = restarted && e.oomKilled === true && e.state !== 'oomKilled' && prev.state !== 'oomKilled';
    if ((e.state === 'oomKilled' && prev?.state !== 'oomKilled') || oomKilledBetween) this.store.add('pod.oomKills', l, sec);
    // A pod that is not running holds no connections: zero on the transports it reported, rather than
    // its last sample carried over the gauge's staleness window (a killed pod's clients are gone now).
    const down = e.state === 'exited' || e.state === 'oomKilled' || e.state === 'absent';
    const connections = down ? Object.fromEntries((prev?.transports ?? []).map((t) => [t, 0])) : e.connections;
    const transports = [...new Set([...(prev?.transports ?? []), ...Object.keys(e.connections)])];
    this.pods.set(e.pod, { restarts: e.restarts, state: e.state, transports });
    const healthy = e.state === 'running' && e.ready;
    this.store.set('pods.unhealthy', l, sec, healthy ? 0 : 1);
    this.store.set('pods.running', l, sec, e.state === 'running' ? 1 : 0);
    if (e.memoryMb !== undefined) this.store.set('pod.memoryMb', l, sec, e.memoryMb);
    if (e.heapLiveMb !== undefined) this.store.set('pod.heapLiveMb', l, sec, e.heapLiveMb);
    for (const [transport, n] of Object.entries(connections)) this.store.set('connections', { ...l, transport }, sec, n ?? 0);
  }
}

/** The labels a k6 series is judged by: of its tags, where it ran and how. */
/**
 * A k6 point's labels: where it went, and what the project's scripts tag an outcome with (why a
 * connect failed or a socket closed, an answer's status), so an SLO can judge k6's clients as it
 * judges the Node ones.
 */
const k6Labels = (tags: Record<string, string>) =>
  labels({ deployment: tags.deployment, pod: tags.pod, transport: tags.transport, reason: tags.reason, code: tags.code, abnormal: tags.abnormal, status: tags.status });

/** Fold a whole history (array, generator or NDJSON stream). */
export async function observe(events: Iterable<HistoryEvent> | AsyncIterable<HistoryEvent>, options: FoldOptions = {}): Promise<Observation> {
  const fold = new MetricsFold(options);
  for await (const e of events) fold.add(e);
  return fold.finish();
}

/** Synchronous variant for in-memory histories and tests. */
export function observeSync(events: Iterable<HistoryEvent>, options: FoldOptions = {}): Observation {
  const fold = new MetricsFold(options);
  for (const e of events) fold.add(e);
  return fold.finish();
}
