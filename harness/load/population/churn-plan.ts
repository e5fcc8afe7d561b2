/**
 * Who leaves when: the churn schedule, a pure function of the seed (as the client plan is). Each
 * second of [fromMs, toMs) owes `sharePerS × count` departures; the fraction is carried to the next
 * second so 0.05 of 30 clients is 3 departures every 2 s, not 1 every second. A second's departures
 * are distinct clients at seeded moments inside it.
 */
import { mixSeed, seededRandom } from './seeded-random.ts';

export interface ChurnDeparture {
  /** Milliseconds after the population starts. */
  atMs: number;
  /** Index of the client in the population's plan. */
  client: number;
}

export interface ChurnPlanOptions {
  seed: number;
  count: number;
  sharePerS: number;
  fromMs: number;
  toMs: number;
}

export function planChurn(o: ChurnPlanOptions): ChurnDeparture[] {
  if (o.count === 0 || !(o.sharePerS > 0) || !(o.toMs > o.fromMs)) return [];
  const random = seededRandom(mixSeed(o.seed, 'churn'));
  const out: ChurnDeparture[] = [];
  const indices = Array.from({ length: o.count }, (_, i) => i);
  let owed = 0;
  for (let start = o.fromMs; start < o.toMs; start += 1000) {
    const span = Math.min(1000, o.toMs - start);
    owed += (o.sharePerS * o.count * span) / 1000;
    const n = Math.min(o.count, Math.floor(owed + 1e-9));
    owed -= n;
    // A partial Fisher-Yates shuffle picks n distinct clients for this second.
    for (let j = 0; j < n; j++) {
      const r = j + Math.floor(random() * (o.count - j));
      [indices[j], indices[r]] = [indices[r]!, indices[j]!];
    }
    const second = indices.slice(0, n).map((client) => ({ atMs: Math.floor(start + random() * span), client }));
    out.push(...second.sort((a, b) => a.atMs - b.atMs));
  }
  return out;
}
