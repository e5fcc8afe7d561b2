// Internal errors are exit 2 with their cause, never 0, and leave nothing: an exception injected in
// each phase of a real run (HARNESS_FAIL_AT, test-only) on the tiny-interrupt fixture, whose set-up
// starts every kind of thing a run starts (containers, k6).
import { describe, expect, it } from 'vitest';
import { HOOK_PHASES } from '../platform/phase-hook.ts';
import { runFailureCase } from './testing/interrupt-matrix.ts';

describe.each(HOOK_PHASES)('an exception in %s', (phase) => {
  it('exits 2 naming the cause, with no container, process, .partial directory or registry entry left', async () => {
    const r = await runFailureCase(phase);
    expect(r.run.code, r.run.stderr).toBe(2);
    expect(r.run.stderr).toContain(`injected failure at ${phase}`);
    expect(r.leftovers).toEqual({ containers: [], processes: [], partialDirs: [], unmarkedRunDirs: [], registryEntries: [] });
    // After the replay (judging, reports) the history is whole: the directory stays, marked with the
    // command that renders its reports; before it, nothing of the run is kept.
    expect(r.markedRunDirs).toHaveLength(phase === 'judge' || phase === 'report' ? 1 : 0);
  });
});
