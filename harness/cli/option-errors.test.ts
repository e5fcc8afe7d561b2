import { describe, expect, it } from 'vitest';
import { parseDuration } from '../margin/duration.ts';
import { parseMinMargin } from '../margin/min-margin.ts';
import { OptionError } from '../platform/option-error.ts';
import { narrowRange } from './commands/margin.ts';
import { planRun } from './commands/run.ts';
import { guardRun } from './run-guard.ts';

// A bad option is input with its fix, not an internal error: each reaches the CLI through the run
// guard as itself (exit 2, its own message), never as "internal error during the run".
const TINY_KILL = 'harness/run/fixtures/tiny-kill.ts';
const axis = { name: 'clients', kind: 'clients', range: { min: 0.5, max: 2 }, why: 'test' } as unknown as Parameters<typeof narrowRange>[0];

async function refusal(action: () => Promise<unknown>): Promise<unknown> {
  return guardRun(async () => {
    await action();
  })().then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('option errors pass the run guard as themselves', () => {
  it.each([
    ['--seed abc', { seed: 'abc' }, /^--seed abc: expected an integer$/],
    ['--min-margin x', { minMargin: 'x' }, /^--min-margin x: expected a factor of at least 1/],
    ['--min-margin with another server', { minMargin: '2', server: 'sockudo' }, /^--min-margin runs on our own server only; drop --server or --min-margin$/],
  ])('run %s', async (_what, options, message) => {
    const err = await refusal(() => planRun([TINY_KILL], { variant: 'both', server: 'sut', out: '/tmp/never-written', dryRun: true, ...options }));
    expect(err).toBeInstanceOf(OptionError);
    expect((err as Error).message).toMatch(message);
  });

  it.each([
    ['--budget soon', () => parseDuration('soon'), /^--budget soon: expected a duration like 20m/],
    ['--budget 0', () => parseDuration('0m'), /^--budget 0m: expected a duration above 0$/],
    ['--range 3..1', () => narrowRange(axis, '3..1'), /^--range 3\.\.1: expected min\.\.max/],
    ['--range 1..9', () => narrowRange(axis, '1..9'), /^--range 1\.\.9: outside axis clients's declared range 0\.5\.\.2; widen range in the scenario$/],
    ['--min-margin 0.5', () => parseMinMargin('0.5'), /^--min-margin 0\.5: expected a factor of at least 1/],
  ])('margin %s', async (_what, parse, message) => {
    const err = await refusal(async () => parse());
    expect(err).toBeInstanceOf(OptionError);
    expect((err as Error).message).toMatch(message);
  });
});
