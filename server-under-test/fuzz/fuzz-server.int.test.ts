/**
 * A short smoke of the fuzz script: the bundled pod as a child process, the committed corpus
 * (every past crash is in it) replayed first on each surface, then a second of generated input
 * per surface. The pod must survive all of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzServer, readCorpus, SURFACES, type FuzzOptions, type FuzzResult } from './fuzz-server.ts';

/** fuzzServer with its crashes in a temporary folder, not the checkout's corpus: kept only when there is one. */
async function fuzzKeepingCrashesAside(opts: Omit<FuzzOptions, 'crashDir' | 'log'>): Promise<FuzzResult> {
  const crashDir = mkdtempSync(join(tmpdir(), 'fuzz-crash-'));
  const result = await fuzzServer({ ...opts, crashDir, log: () => {} });
  if (!result.crash) rmSync(crashDir, { recursive: true, force: true });
  return result;
}

/** The crash, if any, as an assertion message (its input cut short). */
const crashMessage = (r: FuzzResult): string | undefined => r.crash && JSON.stringify({ ...r.crash, input: r.crash.input.slice(0, 2000) });

describe('fuzz:server smoke', () => {
  it('the corpus covers every surface', () => {
    const surfaces = new Set(readCorpus().map((e) => e.surface));
    expect([...surfaces].sort()).toEqual([...SURFACES].sort());
  });

  it('the pod survives the corpus and a second of generated hostile input on every surface', async () => {
    const result = await fuzzKeepingCrashesAside({ secondsPerSurface: 1, maxInputsPerSurface: 2000, surfaces: SURFACES });
    expect(result.crash, crashMessage(result)).toBeUndefined();
    expect(result.survived).toBe(true);
    for (const s of SURFACES) {
      expect(result.surfaces[s]?.corpusInputs, s).toBeGreaterThan(0);
      expect(result.surfaces[s]?.inputs, s).toBeGreaterThan(0);
    }
    // Every WebSocket frame was followed by a ping the pod answered: it kept serving that client.
    expect(Object.keys(result.surfaces['ws-frames']!.answers)).toEqual(['pong']);
  });

  it('a time limit that ends before any input is answered is not a crash, and the first input runs anyway', async () => {
    // fast-check calls such a run failed ("interrupted after 0 tests"); on a busy machine a batch of
    // 8 hostile requests may take longer than the smoke's second.
    const result = await fuzzKeepingCrashesAside({ secondsPerSurface: 0.001, maxInputsPerSurface: 10, surfaces: ['http'] });
    expect(result.crash, crashMessage(result)).toBeUndefined();
    expect(result.survived).toBe(true);
    // The first input, a batch of 8 requests; at most one more started before the 1 ms limit.
    expect([8, 16]).toContain(result.surfaces.http?.inputs);
  });
});
