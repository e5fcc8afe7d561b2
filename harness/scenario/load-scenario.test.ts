import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScenarioLoadError, ScenarioValidationError } from './errors.ts';
import { loadScenario } from './load-scenario.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('loadScenario', () => {
  it('imports a .ts scenario and resolves both variants', async () => {
    const s = await loadScenario('harness/scenario/fixtures/tiny.ts', root);
    expect(s.id).toBe('tiny');
    expect(s.variants).toEqual(['incident', 'remediated']);
    expect(s.resolved.incident!.topology.deployments[1]!.maxConnections).toBe(20);
    expect(s.resolved.remediated!.topology.deployments[1]!.restartPolicy).toBe('always');
  });

  it('names the file, the field path and what was expected', async () => {
    const err = await loadScenario('harness/scenario/fixtures/bad-memory.ts', root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioValidationError);
    expect((err as ScenarioValidationError).code).toBe('SCENARIO_INVALID');
    expect((err as Error).message).toBe(
      'harness/scenario/fixtures/bad-memory.ts: variants.incident.topology.deployments[1].memoryMb: expected a positive number, got "256"',
    );
  });

  it('fails with a load error for a missing file', async () => {
    const err = await loadScenario('harness/scenario/fixtures/nope.ts', root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioLoadError);
    expect((err as ScenarioLoadError).code).toBe('SCENARIO_LOAD_FAILED');
    expect((err as Error).message).toBe('harness/scenario/fixtures/nope.ts: file not found');
  });

  it('fails with a load error when the module exports no scenario', async () => {
    const err = await loadScenario('harness/scenario/fixtures/no-export.ts', root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioLoadError);
    expect((err as Error).message).toMatch(/no-export\.ts: expected a default export made with defineScenario/);
  });

  it('names a k6 script that is not one of the harness\'s, with the ones there are', async () => {
    const err = await loadScenario('harness/scenario/fixtures/missing-k6.ts', root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioValidationError);
    expect((err as Error).message).toBe(
      'harness/scenario/fixtures/missing-k6.ts: load.k6[0].script: expected one of the harness\'s k6 scripts: ws-subscribers.ts, rest-publish.ts, smoke-http.ts (in scenarios/load/), got "nope.ts"',
    );
  });
});
