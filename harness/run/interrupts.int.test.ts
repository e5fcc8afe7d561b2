// Interrupts at any moment and crash-only recovery, on the real CLI and real containers: SIGINT and
// SIGTERM in set-up (while containers are being created), replay and judging must exit 130/143 and
// leave nothing; after a SIGKILL in the same phases the next command (run, report or down) must
// remove everything the dead run left. The phases are reached with the test-only HARNESS_PAUSE_AT.
import { describe, expect, it } from 'vitest';
import { EXPECTED_CODE, PHASES, runInterruptCase, type Leftovers } from './testing/interrupt-matrix.ts';

const NOTHING: Leftovers = { containers: [], processes: [], partialDirs: [], unmarkedRunDirs: [], registryEntries: [] };

describe.each(PHASES)('interrupted in %s', (phase) => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: exits 130/143 and leaves nothing', async (signal) => {
    const r = await runInterruptCase(signal, phase);
    // There was something to clean up: the registered run, and before judging its containers (and k6 in the replay).
    expect(r.atSignal.registryEntries).toHaveLength(1);
    if (phase !== 'judge') expect(r.atSignal.containers.length).toBeGreaterThan(0);
    if (phase === 'replay') expect(r.atSignal.processes.length).toBeGreaterThan(0);
    expect(r.run.code, r.run.stderr).toBe(EXPECTED_CODE[signal]);
    expect(r.run.stderr).toContain(`interrupted (${signal})`);
    expect(r.leftovers).toEqual(NOTHING);
    // The judge phase comes after the replay finished: its directory stays, marked, not half-written.
    expect(r.markedRunDirs).toHaveLength(phase === 'judge' ? 1 : 0);
  });

  it('SIGKILL: the next command removes what the dead run left, and says so', async () => {
    const r = await runInterruptCase('SIGKILL', phase);
    expect(r.run.signal).toBe('SIGKILL');
    // Something was left to recover: the run's registry entry at least, and in set-up and replay its containers.
    expect(r.afterKill!.registryEntries).toHaveLength(1);
    if (phase !== 'judge') expect(r.afterKill!.containers.length).toBeGreaterThan(0);
    if (phase === 'replay') expect(r.afterKill!.processes.length).toBeGreaterThan(0);
    expect(r.next!.stderr).toMatch(/harness: run of `harness run` \(pid \d+, started .*\) is gone; removed/);
    expect(r.leftovers).toEqual(NOTHING);
    expect(r.markedRunDirs).toHaveLength(phase === 'judge' ? 1 : 0);
  });
});

it('a second Ctrl-C while cleaning up says what is still being removed, and the clean-up still finishes', async () => {
  const r = await runInterruptCase('SIGINT', 'setup', { twice: true });
  expect(r.run.code, r.run.stderr).toBe(130);
  expect(r.run.stderr).toMatch(/harness: still removing: tiny-interrupt-incident-\S+: .+\. Interrupt once more to leave now/);
  expect(r.leftovers).toEqual(NOTHING);
});
