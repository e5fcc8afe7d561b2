/**
 * The side-by-side table of `npm run bench:peers`: per server the median of its rounds (and the
 * spread), and each measure's ratio to the reference server. Ratios are what carries over between
 * machines; absolute numbers on a shared 2-core machine are noisy.
 */
import type { FanoutResult } from './fanout-run.ts';
import { median } from '../metrics/median.ts';

export interface PeerRound {
  server: string;
  round: number;
  result: FanoutResult;
}

export interface Measure {
  key: 'deliveredPerS' | 'p50Ms' | 'p99Ms' | 'bytesPerConnection';
  label: string;
  /** Which way is better, so a ratio can be read. */
  better: 'higher' | 'lower';
  of(r: FanoutResult): number;
}

export const MEASURES: readonly Measure[] = [
  { key: 'deliveredPerS', label: 'fan-out throughput (delivered msg/s)', better: 'higher', of: (r) => r.throughput.deliveredPerS },
  { key: 'p50Ms', label: 'publish-to-delivery p50 (ms)', better: 'lower', of: (r) => r.latency.p50Ms },
  { key: 'p99Ms', label: 'publish-to-delivery p99 (ms)', better: 'lower', of: (r) => r.latency.p99Ms },
  { key: 'bytesPerConnection', label: 'memory per connection (KB)', better: 'lower', of: (r) => r.bytesPerConnection / 1024 },
];

export interface ServerSummary {
  server: string;
  rounds: number;
  medians: Record<Measure['key'], number>;
  ranges: Record<Measure['key'], [number, number]>;
  /** Delivered / expected over every round's latency and throughput phases. */
  deliveredShare: number;
  restErrors: number;
}

export function summarize(rounds: readonly PeerRound[]): ServerSummary[] {
  const servers = [...new Set(rounds.map((r) => r.server))];
  return servers.map((server) => {
    const mine = rounds.filter((r) => r.server === server).map((r) => r.result);
    const medians = {} as ServerSummary['medians'];
    const ranges = {} as ServerSummary['ranges'];
    for (const m of MEASURES) {
      const xs = mine.map(m.of);
      medians[m.key] = median(xs);
      ranges[m.key] = [Math.min(...xs), Math.max(...xs)];
    }
    const delivered = mine.reduce((t, r) => t + r.latency.delivered + r.throughput.delivered, 0);
    const expected = mine.reduce((t, r) => t + r.latency.expected + r.throughput.expected, 0);
    return { server, rounds: mine.length, medians, ranges, deliveredShare: expected === 0 ? 0 : delivered / expected, restErrors: mine.reduce((t, r) => t + r.restErrors, 0) };
  });
}

/** `other / reference` of each measure's median. */
export function ratios(reference: ServerSummary, other: ServerSummary): Record<Measure['key'], number> {
  const out = {} as Record<Measure['key'], number>;
  for (const m of MEASURES) out[m.key] = other.medians[m.key] / reference.medians[m.key];
  return out;
}

const fmt = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Markdown: one row per measure, a column per server (median, range), a ratio column per other server. */
export function peerTable(summaries: readonly ServerSummary[]): string {
  if (summaries.length === 0) throw new Error('no server was measured');
  const [ref, ...others] = summaries as [ServerSummary, ...ServerSummary[]];
  const head = ['measure', ...summaries.map((s) => `${s.server} (median of ${s.rounds}; range)`), ...others.map((o) => `${o.server} / ${ref.server}`)];
  const rows = MEASURES.map((m) => [
    `${m.label}, ${m.better} is better`,
    ...summaries.map((s) => `${fmt(s.medians[m.key])} (${fmt(s.ranges[m.key][0])}–${fmt(s.ranges[m.key][1])})`),
    ...others.map((o) => `×${ratios(ref, o)[m.key].toFixed(2)}`),
  ]);
  rows.push(['delivered / expected', ...summaries.map((s) => `${(s.deliveredShare * 100).toFixed(2)}%`), ...others.map(() => '')]);
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
