/**
 * A short smoke of the fuzz script: the bundled pod as a child process, the committed corpus
 * (every past crash is in it) replayed first on each surface, then a second of generated input
 * per surface. The pod must survive all of it.
 */
import { describe, expect, it } from 'vitest';
import { fuzzServer, readCorpus, SURFACES } from './fuzz-server.ts';

describe('fuzz:server smoke', () => {
  it('the corpus covers every surface', () => {
    const surfaces = new Set(readCorpus().map((e) => e.surface));
    expect([...surfaces].sort()).toEqual([...SURFACES].sort());
  });

  it('the pod survives the corpus and a second of generated hostile input on every surface', async () => {
    const result = await fuzzServer({ secondsPerSurface: 1, maxInputsPerSurface: 2000, surfaces: SURFACES, log: () => {} });
    expect(result.crash).toBeUndefined();
    expect(result.survived).toBe(true);
    for (const s of SURFACES) {
      expect(result.surfaces[s]?.corpusInputs, s).toBeGreaterThan(0);
      expect(result.surfaces[s]?.inputs, s).toBeGreaterThan(0);
    }
    // Every WebSocket frame was followed by a ping the pod answered: it kept serving that client.
    expect(Object.keys(result.surfaces['ws-frames']!.answers)).toEqual(['pong']);
  });
});
