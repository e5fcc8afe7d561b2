import { describe, expect, it } from 'vitest';
import type { FanoutResult } from './fanout-run.ts';
import { median } from '../metrics/median.ts';
import { peerTable, ratios, summarize, type PeerRound } from './peer-summary.ts';
import { roundOrder } from './run-peer-bench.ts';

function result(p99Ms: number, bytesPerConnection: number, deliveredPerS: number, delivered = 100): FanoutResult {
  return {
    subscribers: 10,
    connectS: 1,
    memoryBeforeMb: 10,
    memoryLoadedMb: 11,
    bytesPerConnection,
    latency: { publishes: 10, delivered, expected: 100, p50Ms: p99Ms / 3, p99Ms, maxMs: p99Ms * 2, samples: 10 },
    throughput: { publishes: 10, delivered: 100, expected: 100, seconds: 1, deliveredPerS },
    restErrors: 0,
  };
}

const rounds: PeerRound[] = [
  { server: 'sut', round: 1, result: result(30, 18_000, 90_000) },
  { server: 'sockudo', round: 1, result: result(90, 150_000, 60_000) },
  { server: 'sut', round: 2, result: result(20, 20_000, 100_000) },
  { server: 'sockudo', round: 2, result: result(160, 140_000, 50_000, 90) },
  { server: 'sut', round: 3, result: result(40, 16_000, 80_000) },
  { server: 'sockudo', round: 3, result: result(120, 148_000, 70_000) },
];

describe('median', () => {
  it('odd and even counts; none is an error', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('summarize and ratios', () => {
  it('medians and ranges per server, in the order first measured; ratios are other / reference', () => {
    const [sut, sockudo] = summarize(rounds);
    expect(sut!.server).toBe('sut');
    expect(sut!.rounds).toBe(3);
    expect(sut!.medians.p99Ms).toBe(30);
    expect(sut!.ranges.p99Ms).toEqual([20, 40]);
    expect(sockudo!.medians.bytesPerConnection).toBeCloseTo(148_000 / 1024);
    expect(sockudo!.deliveredShare).toBeCloseTo((290 + 300) / 600);
    const r = ratios(sut!, sockudo!);
    expect(r.p99Ms).toBe(4);
    expect(r.deliveredPerS).toBeCloseTo(60_000 / 90_000);
    expect(r.bytesPerConnection).toBeCloseTo(148_000 / 18_000);
  });

  it('the table has a row per measure plus delivery, and a ratio column', () => {
    const table = peerTable(summarize(rounds)).split('\n');
    expect(table).toHaveLength(2 + 4 + 1);
    expect(table[0]).toBe('| measure | sut (median of 3; range) | sockudo (median of 3; range) | sockudo / sut |');
    expect(table.find((l) => l.startsWith('| publish-to-delivery p99'))).toBe('| publish-to-delivery p99 (ms), lower is better | 30.0 (20.0–40.0) | 120 (90.0–160) | ×4.00 |');
    expect(() => peerTable([])).toThrow(/no server/);
  });
});

describe('roundOrder', () => {
  it('alternates which server goes first', () => {
    expect([1, 2, 3].map((r) => roundOrder(['sut', 'sockudo'], r))).toEqual([
      ['sut', 'sockudo'],
      ['sockudo', 'sut'],
      ['sut', 'sockudo'],
    ]);
  });
});
