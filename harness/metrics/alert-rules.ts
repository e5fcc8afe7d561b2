import type { Alert } from '../scenario/schema.ts';
import { compare } from '../scenario/threshold.ts';
import type { SeriesStore } from './series-store.ts';
import { trailingRatio, trailingStat } from './window-math.ts';

// Alert rules over the metrics view, Prometheus-style: a per-second condition must hold for `forS`
// seconds before the alert fires. Second s is judged at its end (s + 1), so a condition true in
// seconds 10..12 with forS = 3 fires at 13. Seconds without data never satisfy a condition: an
// alert fed no data stays silent, which is exactly the blindness the incidents had. Both the live
// path (gates and wait.until during a run) and the verdict evaluate alerts with these.

export interface AlertFiring {
  alert: string;
  title: string;
  /** Replay second at which the alert fired (condition held for `forS`). */
  firedAtS: number;
  /** Replay second at which it stopped firing; null while still firing at the end. */
  resolvedAtS: number | null;
  /** What fired: a pod name for pod-unhealthy, otherwise empty. */
  subject: string | undefined;
}

interface Interval {
  firedAtS: number;
  resolvedAtS: number | null;
}

export function firingIntervals(condition: readonly boolean[], forS: number): Interval[] {
  const need = Math.max(1, Math.ceil(forS));
  const out: Interval[] = [];
  let run = 0;
  let open: Interval | undefined;
  condition.forEach((holds, s) => {
    if (holds) {
      run++;
      if (!open && run >= need) out.push((open = { firedAtS: s + 1, resolvedAtS: null }));
    } else {
      run = 0;
      if (open) open.resolvedAtS = s + 1;
      open = undefined;
    }
  });
  return out;
}

function mergeIntervals(items: (Interval & { subject: string })[]): (Interval & { subject: string })[] {
  const sorted = [...items].sort((a, b) => a.firedAtS - b.firedAtS);
  const out: (Interval & { subject: string })[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && (last.resolvedAtS === null || i.firedAtS <= last.resolvedAtS)) {
      last.resolvedAtS = last.resolvedAtS === null || i.resolvedAtS === null ? null : Math.max(last.resolvedAtS, i.resolvedAtS);
      if (!last.subject.split(',').includes(i.subject)) last.subject += `,${i.subject}`;
    } else out.push({ ...i });
  }
  return out;
}

export function evaluateAlert(alert: Alert, store: SeriesStore): AlertFiring[] {
  const rule = alert.rule;
  if (rule.kind === 'pod-unhealthy') {
    const where = rule.deployment ? { deployment: rule.deployment } : undefined;
    const pods = store.labelValues('pods.unhealthy', 'pod');
    const per = pods.flatMap((pod) => {
      const series = store.gauge('pods.unhealthy', { ...where, pod });
      if (series.every((v) => v === null)) return [];
      return firingIntervals(series.map((v) => v !== null && v > 0), alert.forS).map((i) => ({ ...i, subject: pod }));
    });
    return mergeIntervals(per).map((i) => ({ alert: alert.id, title: alert.title, ...i }));
  }
  const values =
    rule.kind === 'ratio'
      ? trailingRatio(store, rule.numerator, rule.denominator, rule.windowS)
      : trailingStat(store, rule.metric, rule.where, rule.stat, rule.windowS);
  const condition = values.map((v) => v !== null && compare(v, rule.op, rule.value));
  return firingIntervals(condition, alert.forS).map((i) => ({ alert: alert.id, title: alert.title, ...i, subject: undefined }));
}

export function evaluateAlerts(alerts: readonly Alert[], store: SeriesStore): AlertFiring[] {
  return alerts.flatMap((a) => evaluateAlert(a, store)).sort((a, b) => a.firedAtS - b.firedAtS || a.alert.localeCompare(b.alert));
}
