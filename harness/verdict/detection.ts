import { matcherKey } from '../history/event-matcher.ts';
import type { Observation } from '../metrics/fold.ts';
import type { Slo } from '../scenario/schema.ts';
import type { AlertFiring } from '../metrics/alert-rules.ts';
import type { Detection } from './types.ts';

type DetectionSlo = Extract<Slo, { kind: 'detection' }>;

/**
 * Detection time = first firing of the alert at or after the fault, minus the fault's time (the first
 * history event matching `fault`). An alert already firing when the fault happens detects it at once.
 */
export function detect(slo: DetectionSlo, obs: Observation, firings: readonly AlertFiring[]): Detection {
  const faultMs = obs.firstMatch[matcherKey(slo.fault)];
  if (faultMs === undefined) return { slo: slo.id, alert: slo.alert, faultAtS: null, firedAtS: null, seconds: null };
  const faultAtS = faultMs / 1000;
  const firing = firings.find((f) => f.alert === slo.alert && (f.resolvedAtS === null || f.resolvedAtS > faultAtS));
  if (!firing) return { slo: slo.id, alert: slo.alert, faultAtS, firedAtS: null, seconds: null };
  return { slo: slo.id, alert: slo.alert, faultAtS, firedAtS: firing.firedAtS, seconds: Math.max(0, firing.firedAtS - faultAtS) };
}
