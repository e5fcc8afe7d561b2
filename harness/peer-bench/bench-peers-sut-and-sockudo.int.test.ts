/**
 * A smoke of `npm run bench:peers` (the benchmark itself is not part of `npm test`): one short
 * round against each server through the script; the table and the ratios come out and every
 * published event reached every subscriber. No timing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_WAIT_MS, prepareServer } from '../servers/prepare.ts';
import { sockudoProfile } from '../servers/sockudo.ts';
import type { PeerRound, ServerSummary } from './peer-summary.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-peers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Named for sockudo, so it runs after the other integration tests; waits for a background build.
beforeAll(async () => {
  await prepareServer(sockudoProfile, (l) => console.log(l));
}, BUILD_WAIT_MS + 120_000);

describe('npm run bench:peers (smoke)', () => {
  it('one small round per server: table, ratios, JSON, full delivery', () => {
    const json = join(dir, 'peers.json');
    const args = ['--import', 'tsx', 'scripts/bench-peers.ts', '--rounds', '1', '--subscribers', '60', '--rate', '10', '--latency-s', '2', '--throughput-s', '1', '--in-flight', '2', '--sample-every', '3', '--json', json];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 200_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('| measure | sut (median of 1; range) | sockudo (median of 1; range) | sockudo / sut |');
    expect(r.stdout).toMatch(/sockudo \/ sut: throughput ×\d+\.\d\d, p50 ×\d+\.\d\d, p99 ×\d+\.\d\d, memory per connection ×-?\d+\.\d\d/);
    const saved = JSON.parse(readFileSync(json, 'utf8')) as { rounds: PeerRound[]; summaries: ServerSummary[] };
    expect(saved.rounds.map((x) => x.server)).toEqual(['sut', 'sockudo']);
    for (const { result } of saved.rounds) {
      expect(result.latency.publishes).toBe(20);
      expect(result.latency.delivered).toBe(result.latency.expected);
      expect(result.latency.samples).toBe(20 * 20);
      expect(result.throughput.publishes).toBeGreaterThan(0);
      expect(result.throughput.delivered).toBe(result.throughput.expected);
      expect(result.restErrors).toBe(0);
    }
    expect(saved.summaries.map((s) => s.deliveredShare)).toEqual([1, 1]);
  });
});
