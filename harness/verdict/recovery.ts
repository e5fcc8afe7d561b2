import { matcherKey } from '../history/event-matcher.ts';
import type { Observation } from '../metrics/fold.ts';
import type { Slo } from '../scenario/schema.ts';

type RecoverySlo = Extract<Slo, { kind: 'recovery' }>;

export type Recovery =
  | { kind: 'no-event' }
  | { kind: 'no-baseline'; fromS: number }
  | { kind: 'never'; fromS: number; level: number }
  | { kind: 'recovered'; fromS: number; atS: number; seconds: number; level: number };

/**
 * Time from the `from` event until the signal is at or above its level for `holdS` consecutive
 * seconds. For a ratio, seconds with a zero denominator are skipped (no traffic is no evidence either
 * way). For a gauge, the level is a fraction of the gauge's mean over `baselineS` before the event.
 */
export function recoveryTime(slo: RecoverySlo, obs: Observation): Recovery {
  const fromMs = obs.firstMatch[matcherKey(slo.from)];
  if (fromMs === undefined) return { kind: 'no-event' };
  const fromS = fromMs / 1000;
  const first = Math.floor(fromS);
  const m = obs.metrics;
  let good: (boolean | null)[];
  let level = slo.level;
  if (slo.signal.kind === 'ratio') {
    const n = m.counter(slo.signal.numerator.metric, slo.signal.numerator.where);
    const d = m.counter(slo.signal.denominator.metric, slo.signal.denominator.where);
    good = d.map((den, s) => (den > 0 ? n[s]! / den >= slo.level : null));
  } else {
    const g = m.gauge(slo.signal.metric, slo.signal.where);
    const base = g.slice(Math.max(0, first - slo.signal.baselineS), first).filter((v): v is number => v !== null);
    if (base.length === 0) return { kind: 'no-baseline', fromS };
    level = (base.reduce((a, b) => a + b, 0) / base.length) * slo.level;
    good = g.map((v) => (v === null ? null : v >= level));
  }
  let streak = 0;
  let streakStart = -1;
  for (let s = first; s < good.length; s++) {
    const g = good[s];
    if (g === null || g === undefined) continue;
    if (!g) {
      streak = 0;
      continue;
    }
    if (streak === 0) streakStart = s;
    streak++;
    if (streak >= slo.holdS) {
      const atS = Math.max(fromS, streakStart);
      return { kind: 'recovered', fromS, atS, seconds: atS - fromS, level };
    }
  }
  return { kind: 'never', fromS, level };
}
