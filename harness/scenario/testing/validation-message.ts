import { expect } from 'vitest';
import { ScenarioValidationError } from '../errors.ts';
import { validateScenario } from '../resolve.ts';

/** The message a scenario that must fail validation fails with; a scenario that passes fails the test. */
export function validationMessage(input: unknown): string {
  try {
    validateScenario(input, 'scenarios/x.ts');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioValidationError);
    return (e as Error).message;
  }
  throw new Error('expected validation to fail');
}

/** A deep copy, so each test can break the fixture its own way. */
export const copyOf = <T>(fixture: T): Record<string, any> => structuredClone(fixture) as Record<string, any>;
