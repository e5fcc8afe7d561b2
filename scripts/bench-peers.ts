/**
 * `npm run bench:peers`: fan-out throughput, publish-to-delivery p50/p99 and memory per connection
 * of our server and sockudo under the same load, in one run, alternating, each at least 3 times;
 * prints the table with the ratios (README, "Measured: our server and sockudo side by side").
 * Not part of `npm test` (a smoke of it is: harness/peer-bench/bench-peers-sut-and-sockudo.int.test.ts).
 *
 *   npm run bench:peers -- [--servers sut,sockudo] [--rounds 3] [--subscribers 2000] [--rate 20]
 *                          [--latency-s 15] [--throughput-s 5] [--in-flight 4] [--sample-every 10] [--json FILE]
 * Start it under the shared Docker lock on a shared machine: flock /work/helpers/docker.lock npm run bench:peers
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { applyHarnessEnv } from '../harness/platform/env.ts';
import { installInterruptHandlers } from '../harness/platform/interrupts.ts';
import { registerOwner } from '../harness/platform/run-registry.ts';
import { Teardown, teardownOnExit } from '../harness/platform/teardown.ts';
import { runPeerBench } from '../harness/peer-bench/run-peer-bench.ts';
import { peerTable, ratios, summarize } from '../harness/peer-bench/peer-summary.ts';
import { parseServerList } from '../harness/servers/registry.ts';

const { values: opts } = parseArgs({
  options: {
    servers: { type: 'string', default: 'sut,sockudo' },
    rounds: { type: 'string', default: '3' },
    subscribers: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '20' },
    'latency-s': { type: 'string', default: '15' },
    'throughput-s': { type: 'string', default: '5' },
    'in-flight': { type: 'string', default: '4' },
    'sample-every': { type: 'string', default: '10' },
    json: { type: 'string' },
  },
});

function whole(flag: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) {
    console.error(`bench:peers: --${flag} ${v}: expected a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const load = {
    subscribers: whole('subscribers', opts.subscribers, 1, 10_000),
    ratePerS: whole('rate', opts.rate, 1, 1000),
    latencyS: whole('latency-s', opts['latency-s'], 1, 120),
    throughputS: whole('throughput-s', opts['throughput-s'], 1, 60),
    inFlight: whole('in-flight', opts['in-flight'], 1, 64),
    sampleEvery: whole('sample-every', opts['sample-every'], 1, 10_000),
  };
  const rounds = whole('rounds', opts.rounds, 1, 20);
  const profiles = parseServerList(opts.servers);
  applyHarnessEnv();
  installInterruptHandlers();
  registerOwner('bench:peers');
  const runId = `bench-peers-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  const teardown = new Teardown(runId);
  const release = teardownOnExit(teardown);
  const log = (l: string): void => console.error(l);
  const started = new Date();
  try {
    log(`bench:peers ${JSON.stringify({ servers: profiles.map((p) => p.name), rounds, ...load })}`);
    const results = await runPeerBench({ profiles, rounds, load, runId, teardown, log });
    const summaries = summarize(results);
    console.log(`\nnpm run bench:peers -- --servers ${opts.servers} --rounds ${rounds} --subscribers ${load.subscribers} --rate ${load.ratePerS} --latency-s ${load.latencyS} --throughput-s ${load.throughputS} --in-flight ${load.inFlight} --sample-every ${load.sampleEvery}`);
    console.log(`${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${load.subscribers} subscribers on one channel, ${load.ratePerS} publishes/s for ${load.latencyS} s (latency), ${load.inFlight} publishes in flight for ${load.throughputS} s (throughput)\n`);
    console.log(peerTable(summaries));
    const [ref, ...others] = summaries;
    for (const o of others) {
      const r = ratios(ref!, o);
      console.log(`\n${o.server} / ${ref!.server}: throughput ×${r.deliveredPerS.toFixed(2)}, p50 ×${r.p50Ms.toFixed(2)}, p99 ×${r.p99Ms.toFixed(2)}, memory per connection ×${r.bytesPerConnection.toFixed(2)}`);
    }
    if (opts.json) writeFileSync(opts.json, JSON.stringify({ startedAt: started.toISOString(), load, rounds: results, summaries }, null, 2));
  } finally {
    for (const e of await teardown.run()) log(`  cleanup: ${e}`);
    release();
  }
}

main().catch((err: Error) => {
  console.error(`bench:peers: ${err.message}`);
  process.exitCode = 1;
});
