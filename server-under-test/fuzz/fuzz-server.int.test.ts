/**
 * A short smoke of the fuzz script: the bundled pod as a child process, the committed corpus
 * (every past crash is in it) replayed first on each surface, then a second of generated input
 * per surface. The pod must survive all of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzServer, readCorpus, SURFACES } from './fuzz-server.ts';

describe('fuzz:server smoke', () => {
  it('the corpus covers every surface', () => {
    const surfaces = new Set(readCorpus().map((e) => e.surface));
    expect([...surfaces].sort()).toEqual([...SURFACES].sort());
  });

  it('the pod survives the corpus and a second of generated hostile input on every surface', async () => {
    // An input that breaks the pod is kept here, named in the failure, not written into the checkout.
    const crashDir = mkdtempSync(join(tmpdir(), 'fuzz-crash-'));
    const result = await fuzzServer({ secondsPerSurface: 1, maxInputsPerSurface: 2000, surfaces: SURFACES, crashDir, log: () => {} });
    expect(result.crash, result.crash && JSON.stringify({ ...result.crash, input: result.crash.input.slice(0, 2000) })).toBeUndefined();
    rmSync(crashDir, { recursive: true, force: true });
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
    const crashDir = mkdtempSync(join(tmpdir(), 'fuzz-crash-'));
    const result = await fuzzServer({ secondsPerSurface: 0.001, maxInputsPerSurface: 10, surfaces: ['http'], crashDir, log: () => {} });
    expect(result.crash?.file).toBeUndefined();
    rmSync(crashDir, { recursive: true, force: true });
    expect(result.survived).toBe(true);
    // The first input, a batch of 8 requests; at most one more started before the 1 ms limit.
    expect([8, 16]).toContain(result.surfaces.http?.inputs);
  });
});
