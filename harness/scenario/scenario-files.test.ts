import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioValidationError } from './errors.ts';
import { loadScenarioFolder } from './scenario-files.ts';

// A scenarios folder may hold helper modules beside the scenarios; only default-exported scenario
// objects are scenarios, and a default-exported object that is not valid is still an error.

const TINY = resolve(import.meta.dirname, 'fixtures/tiny.ts');
const tmp = mkdtempSync(join(tmpdir(), 'harness-scenario-folder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>, pkg?: object): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  if (pkg) writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const scenario = `import tiny from ${JSON.stringify(TINY)};\nimport { SHARED } from './shared.ts';\nexport default { ...tiny, id: 'from-folder', seed: SHARED };\n`;

describe.each([
  { kind: 'ESM ("type": "module")', pkg: { type: 'module' } },
  { kind: 'CommonJS (no "type")', pkg: undefined },
])('a scenarios folder, $kind', ({ kind, pkg }) => {
  it('lists the scenarios and sets the helper modules aside', async () => {
    const dir = folder(kind.replace(/\W+/g, '-'), {
      'incident.ts': scenario,
      'shared.ts': 'export const SHARED = 3;\n',
      'build-helper.ts': 'export default function variantOf(x: number) { return x; }\n',
      'incident.test.ts': 'throw new Error("a test file is never loaded as a scenario");\n',
    }, pkg);
    const { scenarios, helpers } = await loadScenarioFolder(dir);
    expect(scenarios.map((s) => s.id)).toEqual(['from-folder']);
    expect(scenarios[0]!.resolved.incident!.seed).toBe(3);
    expect(helpers.map((h) => h.replace(/^.*\//, ''))).toEqual(['build-helper.ts', 'shared.ts']);
  });
});

it('does not skip a default-exported object that is not a valid scenario', async () => {
  const dir = folder('misspelt', { 'bad.ts': `import tiny from ${JSON.stringify(TINY)};\nexport default { ...tiny, id: 'bad', durationS: -1 };\n` }, { type: 'module' });
  await expect(loadScenarioFolder(dir)).rejects.toBeInstanceOf(ScenarioValidationError);
});
