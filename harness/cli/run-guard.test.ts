import { describe, expect, it } from 'vitest';
import { HistoryClosedError } from '../history/errors.ts';
import { UnknownVariantError } from '../scenario/errors.ts';
import { InternalRunError, guardRun } from './run-guard.ts';

describe('guardRun', () => {
  it('turns an unexpected error into an internal error that names its cause and where it came from', async () => {
    const run = guardRun(async () => {
      const plan: { pods?: string[] } = {};
      plan.pods!.push('web/0');
    });
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalRunError);
    expect((err as Error).message).toMatch(/^internal error during the run: TypeError: Cannot read properties of undefined \(reading 'push'\) \(at .*harness\/cli\/run-guard\.test\.ts:\d+:\d+\)/);
  });

  it('keeps the message of an error about input or set-up (it already says what to fix)', async () => {
    const err = await guardRun(async () => { throw new UnknownVariantError('tiny', 'both', ['incident']); })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownVariantError);
  });

  it('reports a history appended to after close (a bug, not input) as internal', async () => {
    const err = await guardRun(async () => { throw new HistoryClosedError(); })().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^internal error during the run: HistoryClosedError: history is closed/);
  });

  it('removes its process listeners when the run ends', async () => {
    const before = process.listenerCount('unhandledRejection');
    await guardRun(async () => {
      expect(process.listenerCount('unhandledRejection')).toBe(before + 1);
    })();
    expect(process.listenerCount('unhandledRejection')).toBe(before);
  });
});
