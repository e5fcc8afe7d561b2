/**
 * `npm run bench:peers`: the same fan-out load against one pod of each server (harness/servers/
 * profiles, started alone), round after round, alternating which server goes first so a drift of
 * the machine over the run does not favour one of them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP } from '../load/app.ts';
import type { Teardown } from '../platform/teardown.ts';
import { prepareServer, type PreparedServer } from '../servers/prepare.ts';
import type { ServerProfile } from '../servers/profile.ts';
import { startStandalonePod } from '../servers/standalone-pod.ts';
import { podMemoryMb } from '../topology/pod-memory.ts';
import { measureFanout, type FanoutLoad } from './fanout-run.ts';
import type { PeerRound } from './peer-summary.ts';

/** Server order of round `round` (1-based): as given on odd rounds, reversed on even ones. */
export function roundOrder<T>(servers: readonly T[], round: number): T[] {
  return round % 2 === 1 ? [...servers] : [...servers].reverse();
}

export async function runPeerBench(opts: {
  profiles: readonly ServerProfile[];
  rounds: number;
  load: FanoutLoad;
  runId: string;
  teardown: Teardown;
  log(line: string): void;
}): Promise<PeerRound[]> {
  const prepared: PreparedServer[] = [];
  for (const p of opts.profiles) prepared.push(await prepareServer(p, opts.log));
  const workDir = await mkdtemp(join(tmpdir(), `${opts.runId}-`));
  opts.teardown.add(`remove ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
  const rounds: PeerRound[] = [];
  for (let round = 1; round <= opts.rounds; round++) {
    for (const server of roundOrder(prepared, round)) {
      opts.log(`  round ${round}/${opts.rounds}: ${server.name}`);
      const pod = await startStandalonePod(server, { runId: opts.runId, workDir, name: `${server.name}-r${round}` });
      opts.teardown.add(`remove pod ${pod.spec.name}`, () => pod.remove());
      try {
        if (!pod.ready) throw new Error(`${server.name} pod did not become ready; last log lines:\n${await pod.logs(20).catch(() => '')}`);
        const result = await measureFanout({ port: pod.spec.port, app: APP, load: opts.load, memoryMb: () => podMemoryMb(pod.id), log: opts.log });
        opts.log(
          `    p50 ${result.latency.p50Ms.toFixed(1)} ms, p99 ${result.latency.p99Ms.toFixed(1)} ms (${result.latency.delivered}/${result.latency.expected} delivered); ` +
            `${result.throughput.deliveredPerS} msg/s fan-out; ${(result.bytesPerConnection / 1024).toFixed(1)} KB/connection; REST errors ${result.restErrors}`,
        );
        rounds.push({ server: server.name, round, result });
      } finally {
        await pod.remove();
      }
    }
  }
  return rounds;
}
