/** Values of one metric from Prometheus text exposition, keyed by one label's value. */
export function metricByLabel(text: string, metric: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  const line = new RegExp(`^${metric}\\{([^}]*)\\}\\s+(\\S+)`, 'gm');
  for (const m of text.matchAll(line)) {
    const labels = m[1] ?? '';
    const value = Number(m[2]);
    const l = new RegExp(`(?:^|,)${label}="([^"]*)"`).exec(labels);
    if (l?.[1] !== undefined && Number.isFinite(value)) out[l[1]] = (out[l[1]] ?? 0) + value;
  }
  return out;
}

/** Sum of every series of one metric (with or without labels). */
export function metricSum(text: string, metric: string): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${metric}(?:\\{[^}]*\\})?\\s+(\\S+)`, 'gm'))) {
    const v = Number(m[1]);
    if (Number.isFinite(v)) sum += v;
  }
  return sum;
}
