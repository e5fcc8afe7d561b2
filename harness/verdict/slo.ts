import type { Observation } from '../metrics/fold.ts';
import { percentileMs, statMs } from '../metrics/histogram.ts';
import { windowRange } from '../metrics/series-store.ts';
import { evidenceBase } from '../scenario/metric-names.ts';
import type { Slo } from '../scenario/schema.ts';
import { compare, parseThreshold, type Threshold } from '../scenario/threshold.ts';
import { detect } from './detection.ts';
import { recoveryTime } from './recovery.ts';
import { judgeGaugeTrend } from './gauge-trend.ts';
import { judgeLimit } from './limit.ts';
import { judgeSemantics } from './semantics.ts';
import type { SloResult, Status } from './types.ts';
import type { AlertFiring } from '../metrics/alert-rules.ts';

// The judge: one SLO against the observation. Parsing of thresholds happened at load; a value is
// computed here and compared. No data gives `unknown`, never a silent pass.

const fmt = (n: number, digits = 3) => (Number.isInteger(n) ? String(n) : n.toFixed(digits).replace(/0+$/, '').replace(/\.$/, ''));
const where = (w: Record<string, string> | undefined) => (w && Object.keys(w).length ? `{${Object.entries(w).map(([k, v]) => `${k}=${v}`).join(',')}}` : '');
const inWindow = (slo: Slo) => (slo.window ? ` in [${slo.window.from}s, ${slo.window.to}s)` : '');

function judged(slo: Slo, t: Threshold, value: number | null, unit: SloResult['unit'], detail: string, status?: Status): SloResult {
  const s: Status = status ?? (value === null ? 'unknown' : compare(value, t.op, t.value) ? 'pass' : 'fail');
  return { id: slo.id, title: slo.title, kind: slo.kind, why: slo.why, threshold: slo.threshold, status: s, value, unit, detail, window: slo.window };
}

export function judgeSlo(slo: Slo, obs: Observation, firings: readonly AlertFiring[]): SloResult {
  const parsed = parseThreshold(slo.threshold);
  // Validated at load; a hand-built scenario that skipped validation is judged unknown, not guessed.
  if (!parsed.ok) return judged(slo, { source: slo.threshold, agg: { kind: 'value' }, op: '==', value: 0 }, null, 'value', `threshold does not parse: ${parsed.expected}`);
  const t = parsed.threshold;
  const m = obs.metrics;
  // "The whole run" is the replay: tear-down (clients stopping, pods removed) is not judged.
  const win = slo.window ?? { from: 0, to: obs.replayS };

  switch (slo.kind) {
    case 'ratio': {
      const num = m.counterTotal(slo.numerator.metric, slo.numerator.where, win);
      const den = m.counterTotal(slo.denominator.metric, slo.denominator.where, win);
      const text = `${num} ${slo.numerator.metric}${where(slo.numerator.where)} / ${den} ${slo.denominator.metric}${where(slo.denominator.where)}${inWindow(slo)}`;
      return den === 0 ? judged(slo, t, null, 'ratio', `no data: ${text}`) : judged(slo, t, num / den, 'ratio', text);
    }
    case 'trend': {
      const h = m.trend(slo.metric, slo.where, win);
      const name = `${slo.metric}${where(slo.where)}${inWindow(slo)}`;
      if (!h || h.totalCount === 0) return judged(slo, t, null, 'ms', `no data: no ${name} samples`);
      const agg = t.agg;
      const value = agg.kind === 'percentile' ? percentileMs(h, agg.p) : agg.kind === 'count' ? h.totalCount : statMs(h, agg.kind as 'avg' | 'min' | 'max' | 'med');
      return judged(slo, t, value, agg.kind === 'count' ? 'count' : 'ms', `${t.source.split(/[<>=!]/)[0]} of ${h.totalCount} ${name} samples = ${fmt(value, 1)}${agg.kind === 'count' ? '' : ' ms'}`);
    }
    case 'count': {
      const value = m.counterTotal(slo.metric, slo.where, win);
      const base = evidenceBase(slo.metric);
      const baseTotal = base === slo.metric ? value : m.counterTotal(base, undefined, win);
      const text = `${value} ${slo.metric}${where(slo.where)}${inWindow(slo)}`;
      if (value === 0 && baseTotal === 0) return judged(slo, t, null, 'count', `no data: ${text}, and no ${base} to count from`);
      return judged(slo, t, value, 'count', `${text} (out of ${baseTotal} ${base})`);
    }
    case 'gauge': {
      const [a, b] = windowRange(m.durationS, win);
      const values = m.gauge(slo.metric, slo.where).slice(a, b + 1).filter((v): v is number => v !== null);
      const name = `${slo.metric}${where(slo.where)}${inWindow(slo)}`;
      if (values.length === 0) return judged(slo, t, null, 'value', `no data: no ${name} samples`);
      const k = t.agg.kind;
      const value = k === 'max' ? Math.max(...values) : k === 'min' ? Math.min(...values) : k === 'avg' ? values.reduce((x, y) => x + y, 0) / values.length : values[values.length - 1]!;
      return judged(slo, t, value, 'value', `${k} of ${values.length} per-second ${name} values = ${fmt(value)}`);
    }
    case 'gauge-trend': {
      const v = judgeGaugeTrend(slo, obs);
      const breached = v.value !== null && !compare(v.value, t.op, t.value);
      return judged(slo, t, v.value, 'value', v.detail, v.partial && !breached ? 'unknown' : undefined);
    }
    case 'detection': {
      const d = detect(slo, obs, firings);
      if (d.faultAtS === null) {
        const text = `the fault (${slo.fault.type}) never happened, so there was nothing to detect`;
        return judged(slo, t, null, 's', text, slo.whenNoFault === 'pass' ? 'pass' : 'unknown');
      }
      if (d.seconds === null) return judged(slo, t, null, 's', `not detected: alert ${slo.alert} never fired after the fault at ${fmt(d.faultAtS, 1)} s`, 'fail');
      return judged(slo, t, d.seconds, 's', `fault at ${fmt(d.faultAtS, 1)} s, alert ${slo.alert} fired at ${fmt(d.firedAtS!, 1)} s`);
    }
    case 'recovery': {
      const r = recoveryTime(slo, obs);
      if (r.kind === 'no-event') {
        const text = `the start event (${slo.from.type}) never happened`;
        return judged(slo, t, null, 's', text, slo.whenNoFault === 'pass' ? 'pass' : 'unknown');
      }
      if (r.kind === 'no-baseline') return judged(slo, t, null, 's', `no data: no baseline before ${fmt(r.fromS, 1)} s`);
      if (r.kind === 'never') return judged(slo, t, null, 's', `never recovered to ${fmt(r.level)} after ${fmt(r.fromS, 1)} s`, 'fail');
      return judged(slo, t, r.seconds, 's', `from ${fmt(r.fromS, 1)} s, back at ${fmt(r.level)} for ${slo.holdS} s from ${fmt(r.atS, 1)} s`);
    }
    case 'delivery':
    case 'webhook': {
      const v = judgeSemantics(slo, obs, win);
      return judged(slo, t, v.value, 'count', v.detail);
    }
    case 'limit': {
      const v = judgeLimit(slo, obs);
      return judged(slo, t, v.value, 'count', v.detail, v.status);
    }
  }
}
