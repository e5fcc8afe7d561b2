// Small, exact statistics for the capacity model: ordinary least squares with its error, an exact
// percentile, and a one-parameter queueing curve. Pure; tested on known data.

export interface Point {
  x: number;
  y: number;
}

export interface LinearFit {
  slope: number;
  intercept: number;
  /** Points the fit used. */
  n: number;
  r2: number;
  /** Root-mean-square residual, in y's unit. */
  rmse: number;
  maxAbsResidual: number;
}

export class FitError extends Error {
  readonly code = 'CAPACITY_FIT';
}

export function linearFit(points: readonly Point[]): LinearFit {
  const n = points.length;
  if (n < 2) throw new FitError(`a line needs at least 2 points, got ${n}`);
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
    syy += (p.y - my) ** 2;
  }
  if (sxx === 0) throw new FitError('every point has the same x: the slope is undefined');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const residuals = points.map((p) => p.y - (intercept + slope * p.x));
  const sse = residuals.reduce((s, r) => s + r * r, 0);
  return {
    slope,
    intercept,
    n,
    r2: syy === 0 ? 1 : 1 - sse / syy,
    rmse: Math.sqrt(sse / n),
    maxAbsResidual: Math.max(...residuals.map(Math.abs)),
  };
}

/** Nearest-rank percentile (p in 0..100) of the values; undefined for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export interface QueueFit {
  /** Latency at zero utilisation, in the latency's unit. */
  l0: number;
  n: number;
  rmse: number;
}

/** Utilisation is capped here so 1/(1-u) stays finite for a pod measured at its CPU limit. */
export const MAX_UTILISATION = 0.98;

/**
 * latency = l0 / (1 - u), the M/M/1 shape: flat at low utilisation, steep near 1. One parameter,
 * fitted by least squares (closed form). Points are {x: utilisation, y: latency}.
 */
export function queueFit(points: readonly Point[]): QueueFit {
  if (points.length === 0) throw new FitError('the latency curve needs at least 1 point');
  const g = points.map((p) => 1 / (1 - Math.min(Math.max(p.x, 0), MAX_UTILISATION)));
  const l0 = points.reduce((s, p, i) => s + p.y * g[i]!, 0) / g.reduce((s, v) => s + v * v, 0);
  const sse = points.reduce((s, p, i) => s + (p.y - l0 * g[i]!) ** 2, 0);
  return { l0, n: points.length, rmse: Math.sqrt(sse / points.length) };
}

/** The utilisation at which the fitted curve reaches `latency` (0 when it is there already at rest). */
export function utilisationAt(fit: QueueFit, latency: number): number {
  return Math.min(MAX_UTILISATION, Math.max(0, 1 - fit.l0 / latency));
}
