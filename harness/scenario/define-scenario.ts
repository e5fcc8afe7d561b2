import type { ScenarioInput } from './scenario-schema.ts';

/**
 * Declare a scenario: data first, like a k6 options object. This only types the object; validation
 * happens in `loadScenario`/`resolveScenario`, so the file's author gets precise messages there.
 */
export function defineScenario<const S extends ScenarioInput>(scenario: S): S {
  return scenario;
}
