/**
 * Least-squares slope of y over time, optionally holding a covariate constant (Frisch–Waugh: the
 * slope of y's residual on time's residual, both after regressing on the covariate). Pure, small:
 * three running sums per pair, no matrix library needed for one or two regressors.
 */

export interface TrendFit {
  /** Change of y per second, with the covariate held constant; undefined when time and covariate are one line. */
  slopePerS: number | undefined;
  samples: number;
  /** Correlation of time with the covariate: near ±1, time and covariate cannot be told apart. */
  timeCovariateR: number | undefined;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function cov(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - ma) * (b[i]! - mb);
  return s / a.length;
}

/** y and t with the part the covariate explains removed; undefined when the covariate never varied. */
function residuals(v: readonly number[], z: readonly number[]): number[] | undefined {
  const vz = cov(z, z);
  if (vz === 0) return undefined;
  const b = cov(v, z) / vz;
  const mv = mean(v);
  const mz = mean(z);
  return v.map((x, i) => x - mv - b * (z[i]! - mz));
}

/** Slope of `y` over `t` (seconds); `z` per sample when a covariate is held constant. Needs 2+ samples and t that varies. */
export function fitTrend(t: readonly number[], y: readonly number[], z?: readonly number[]): TrendFit | undefined {
  if (t.length < 2 || y.length !== t.length || (z && z.length !== t.length)) return undefined;
  let tt: readonly number[] = t;
  let yy: readonly number[] = y;
  let r: number | undefined;
  if (z) {
    const vz = cov(z, z);
    const vt = cov(t, t);
    if (vz > 0 && vt > 0) {
      r = cov(t, z) / Math.sqrt(vz * vt);
      tt = residuals(t, z)!;
      yy = residuals(y, z)!;
    }
  }
  const vt = cov(tt, tt);
  if (!(vt > 1e-9 * cov(t, t))) return r === undefined ? undefined : { slopePerS: undefined, samples: t.length, timeCovariateR: r };
  return { slopePerS: cov(tt, yy) / vt, samples: t.length, timeCovariateR: r };
}
