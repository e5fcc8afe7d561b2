import { describe, expect, it } from 'vitest';
import tinyKill from '../run/fixtures/tiny-kill.ts';
import { resolveVariant, selectVariants, validateScenario } from '../scenario/resolve.ts';
import { narrowRange } from '../cli/commands/margin.ts';
import { parseDuration } from './duration.ts';
import tinyMargin from './fixtures/tiny-margin.ts';
import { parseMinMargin, planMarginGates } from './min-margin.ts';

const both = selectVariants(validateScenario(tinyMargin, 'tiny-margin.ts'), 'both');
const wider = structuredClone(tinyMargin) as { axes: { range: { min: number } }[] };
wider.axes[0]!.range.min = 0.5;

describe('--min-margin: one point per variant and axis, planned before anything starts', () => {
  it('puts a variant that holds at ×K and an incident at ×1/K', () => {
    const gates = planMarginGates(selectVariants(validateScenario(wider, 'tiny-margin.ts'), 'both'), 2);
    expect(gates.map((g) => [g.base.variant, g.axis.name, g.factor, g.plan.load.clients!.count])).toEqual([
      ['incident', 'clients', 0.5, 15],
      ['remediated', 'clients', 2, 60],
    ]);
  });

  it('refuses a factor below 1, a factor outside an axis range, and a variant without axes, naming the fix', () => {
    expect(() => parseMinMargin('0.8')).toThrow(/--min-margin 0.8: expected a factor of at least 1/);
    expect(() => planMarginGates([both[1]!], 3)).toThrow(/factor 3 is outside axis clients's range 1..2.5/);
    const kill = resolveVariant(validateScenario(tinyKill, 'tiny-kill.ts'), 'remediated');
    expect(() => planMarginGates([kill], 1.2)).toThrow(/declares no stress axes/);
    expect(() => planMarginGates([both[1]!], 1.2, 'memory')).toThrow(/has no axis "memory"/);
  });
});

describe('margin command inputs', () => {
  it('parses budgets', () => {
    expect(parseDuration('20m')).toBe(1_200_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('45')).toBe(45_000);
    expect(() => parseDuration('soon')).toThrow(/expected a duration like 20m/);
    expect(() => parseDuration('0m')).toThrow(/above 0/);
  });

  it('narrows the range only inside the declared one', () => {
    const axis = both[1]!.axes[0]!;
    expect(narrowRange(axis, '1..2')).toEqual({ min: 1, max: 2 });
    expect(() => narrowRange(axis, '2..1')).toThrow(/expected min..max/);
    expect(() => narrowRange(axis, '0.5..2')).toThrow(/outside axis clients's declared range 1..2.5/);
  });
});
