import type { ConditionOutcome, LiveConditions } from '../faults/fault.ts';
import { actionOf } from '../faults/registry.ts';
import { matcherKey } from '../history/event-matcher.ts';
import { evaluateAlert } from '../metrics/alert-rules.ts';
import type { MetricsFold } from '../metrics/fold.ts';
import { trailingStat } from '../metrics/window-math.ts';
import { sleep } from '../load/timing.ts';
import type { Condition, EventMatcher } from '../scenario/conditions.ts';
import { metricKind } from '../scenario/metric-names.ts';
import type { Alert } from '../scenario/schema.ts';
import type { TimelineAction } from '../scenario/actions.ts';
import { compare } from '../scenario/threshold.ts';
import { podGet } from '../topology/pod-http.ts';
import type { StartedTopology } from '../topology/topology.ts';

const POLL_MS = 250;

/** Every event matcher a timeline waits on (wait.until, gates), so the live fold records their first match. */
export function timelineMatchers(timeline: readonly TimelineAction[]): EventMatcher[] {
  const out: EventMatcher[] = [];
  for (const a of timeline) {
    for (const { condition: c } of actionOf(a.type).waitsOn(a.params)) if (c.kind === 'event') out.push(c.match);
  }
  return out;
}

/**
 * Conditions evaluated on the run so far, the same way the verdict evaluates alerts afterwards: the
 * live fold's per-second series, the scenario's alert rules, and the pods themselves. A second is
 * judged once it is complete, so a condition never passes on a half-counted second.
 */
export class LiveConditionEvaluator implements LiveConditions {
  constructor(
    private readonly deps: {
      fold: MetricsFold;
      now: () => number;
      alerts: readonly Alert[];
      topology: () => StartedTopology | undefined;
    },
  ) {}

  async waitFor(condition: Condition, timeoutS: number, signal?: AbortSignal): Promise<ConditionOutcome> {
    const started = this.deps.now();
    const deadline = started + timeoutS * 1000;
    let last = await this.check(condition, started);
    while (!last.met && this.deps.now() < deadline && !signal?.aborted) {
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - this.deps.now())), signal);
      last = await this.check(condition, started);
    }
    return { met: last.met, waitedS: Math.round((this.deps.now() - started) / 100) / 10, detail: last.detail };
  }

  /**
   * One evaluation of the condition now. A metric condition counts only seconds that began at or
   * after `sinceMs`: a gate right after a change must not pass on the healthy seconds before it.
   */
  async check(c: Condition, sinceMs = 0): Promise<{ met: boolean; detail: string }> {
    const { metrics, firstMatch } = this.deps.fold.live;
    const nowS = this.deps.now() / 1000;
    switch (c.kind) {
      case 'alert.fired': {
        const alert = this.deps.alerts.find((a) => a.id === c.alert);
        if (!alert) return { met: false, detail: `no alert ${c.alert} in the scenario` };
        const fired = evaluateAlert(alert, metrics).find((f) => f.firedAtS <= Math.floor(nowS));
        return fired ? { met: true, detail: `alert ${c.alert} fired at ${fired.firedAtS} s` } : { met: false, detail: `alert ${c.alert} has not fired` };
      }
      case 'event': {
        const at = firstMatch[matcherKey(c.match)];
        return at !== undefined ? { met: true, detail: `${c.match.type} seen at ${(at / 1000).toFixed(1)} s` } : { met: false, detail: `no ${c.match.type} event matching yet` };
      }
      case 'pods.ready': {
        const pods = this.deps.topology()?.pods(c.deployment) ?? [];
        const ready = (await Promise.all(pods.map((p) => podGet(`${p.url}/readyz`, 500)))).filter((r) => r?.status === 200).length;
        return { met: ready >= c.count, detail: `${ready} of ${pods.length} pod(s) of ${c.deployment} ready (want ${c.count})` };
      }
      case 'metric': {
        const values = metricSeconds(metrics, c.metric, c.where);
        const complete = Math.floor(nowS); // seconds [0, complete) are over
        const need = Math.max(1, Math.ceil(c.forS));
        const first = Math.ceil(sinceMs / 1000);
        const recent: (number | null)[] = [];
        for (let s = Math.max(first, complete - need); s < complete; s++) recent.push(values[s] ?? (metricKind(c.metric) === 'counter' ? 0 : null));
        const met = recent.length === need && recent.every((v) => v !== null && compare(v, c.op, c.value));
        const shown = recent.map((v) => (v === null ? '–' : Number(v.toFixed(3)))).join(', ');
        return { met, detail: `${c.metric} ${c.op} ${c.value} over the last ${need} s: [${shown}]` };
      }
    }
  }
}

/** Per-second value of a metric as a condition reads it: counter sum, gauge sum, trend p99. */
function metricSeconds(metrics: MetricsFold['live']['metrics'], metric: string, where: Record<string, string> | undefined): (number | null)[] {
  const kind = metricKind(metric);
  return trailingStat(metrics, metric, where, kind === 'trend' ? 'p99' : kind === 'gauge' ? 'last' : 'sum', 1);
}
