/**
 * The live heap, sampled: every `LIVE_HEAP_SAMPLE_MS` a full garbage collection, then the V8 heap
 * still in use. A leak detector needs what survives a collection: the working set and `heapUsed`
 * between collections also carry garbage, and V8 grows its heap in steps for it, which a short
 * window reads as a trend. Off by default: a forced full collection pauses the event loop.
 * Buffers' backing stores are outside the V8 heap, so per-connection padding is not counted.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Metrics } from './metrics.ts';

type FullGc = () => void;

let fullGc: FullGc | undefined;

/** V8's `gc()` without the command-line flag: allowed at run time, read from a fresh context. */
function exposedGc(): FullGc {
  if (fullGc) return fullGc;
  setFlagsFromString('--expose-gc');
  fullGc = runInNewContext('gc') as FullGc;
  return fullGc;
}

/** Collects, reads `heapUsed`, and sets the gauge and its sample counter. */
export function sampleLiveHeap(metrics: Metrics, gc: FullGc = exposedGc()): number {
  gc();
  const bytes = process.memoryUsage().heapUsed;
  metrics.heapLiveBytes.set(bytes);
  metrics.heapLiveSampledAt.set(Date.now() / 1000);
  metrics.heapLiveSamples.inc();
  return bytes;
}

/** Samples every `intervalMs` (0 = off) until stopped; the timer never keeps the process alive. */
export function startLiveHeapSampler(intervalMs: number, metrics: Metrics): { stop(): void } {
  if (intervalMs === 0) return { stop: () => {} };
  const gc = exposedGc();
  const timer = setInterval(() => sampleLiveHeap(metrics, gc), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
