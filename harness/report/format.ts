// Numbers as the reports print them, in one place so every page agrees.

/** An SLO value with its unit: ratios to 4 places, ms and s to 1. */
export const sloValue = (v: number | null, unit: string) => (v === null ? '—' : `${Number.isInteger(v) ? v : v.toFixed(unit === 'ratio' ? 4 : 1)}${unit === 'ms' ? ' ms' : unit === 's' ? ' s' : ''}`);

/** Replay seconds to one place. */
export const seconds = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} s`);
