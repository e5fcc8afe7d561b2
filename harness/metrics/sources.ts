import type { Labels } from '../scenario/conditions.ts';

// When each signal source was heard from. A source is what produces a signal SLOs judge: a probe's
// sends, the pod sampler's ticks, the k6 stream. Silence is kept as intervals, so the verdict can tell
// "nothing happened" from "nobody was looking". Memory grows with the number of silences, not events.

export type SourceKind = 'probe' | 'sampler' | 'k6';

export interface SourceRecord {
  kind: SourceKind;
  /** Probe id, `pods` for the sampler, `k6` for the k6 stream as a whole and a process name (scenario/k6-runs.ts) for each of its processes. */
  id: string;
  labels: Labels;
  firstMs: number;
  lastMs: number;
  /** Silences inside [firstMs, lastMs] longer than the tracker's minimum, as [fromMs, toMs]. */
  silences: [number, number][];
}

/** Gaps shorter than this are normal cadence (the slowest probe sends every 500 ms, the sampler every 1 s). */
export const MIN_SILENCE_MS = 1000;

export class SourceTracker {
  private readonly sources = new Map<string, SourceRecord>();

  seen(kind: SourceKind, id: string, labels: Labels, tMs: number): void {
    const key = `${kind}:${id}`;
    const s = this.sources.get(key);
    if (!s) {
      this.sources.set(key, { kind, id, labels: { ...labels }, firstMs: tMs, lastMs: tMs, silences: [] });
      return;
    }
    // Events are appended in time order, but async writers may interleave by a few ms.
    if (tMs <= s.lastMs) return;
    if (tMs - s.lastMs > MIN_SILENCE_MS) s.silences.push([s.lastMs, tMs]);
    s.lastMs = tMs;
  }

  finish(): SourceRecord[] {
    return [...this.sources.values()].sort((a, b) => (a.kind + a.id).localeCompare(b.kind + b.id));
  }
}
