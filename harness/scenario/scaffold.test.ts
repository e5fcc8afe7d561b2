import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scaffoldScenario } from './scaffold.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('harness new: the scaffold', () => {
  it('writes the scenario, its doc page and its test; inside this checkout they import the harness by path', () => {
    const files = scaffoldScenario('eu-cap', { scenariosDir: join(ROOT, 'scenarios'), postmortem: '000_96b6ce62bf45501e.txt', cwd: ROOT });
    expect(files.map((f) => f.path)).toEqual([join(ROOT, 'scenarios/eu-cap.ts'), join(ROOT, 'docs/scenarios/eu-cap.md'), join(ROOT, 'scenarios/eu-cap.int.test.ts')]);
    const [scenario, doc, test] = files.map((f) => f.text);
    expect(scenario).toContain("import { defineScenario } from '../harness/index.ts';");
    expect(scenario).toContain("id: 'eu-cap',");
    expect(scenario).toContain("postmortem: '000_96b6ce62bf45501e.txt',");
    expect(test).toContain("from './testing/replay.ts';");
    expect(doc).toContain('## Evidence the tests check (`scenarios/eu-cap.int.test.ts`)');
    for (const text of [scenario, doc, test]) expect(text).not.toMatch(/\{\{\w+\}\}/);
  });

  it('in another repo they import it by package name', () => {
    const repo = join(tmpdir(), 'team-repo');
    const [scenario, , test] = scaffoldScenario('our-incident', { scenariosDir: join(repo, 'incidents'), cwd: repo }).map((f) => f.text);
    expect(scenario).toContain("import { defineScenario } from 'incident-replay-harness';");
    expect(scenario).toContain("postmortem: 'our-incident.txt',");
    expect(test).toContain("from 'incident-replay-harness/testing';");
  });

  it('refuses an id or a postmortem name a scenario could not have, before writing anything', () => {
    expect(() => scaffoldScenario('Our Incident', { scenariosDir: tmpdir() })).toThrow(/expected a lowercase id/);
    expect(() => scaffoldScenario('ok', { scenariosDir: tmpdir(), postmortem: 'notes.md' })).toThrow(/expected a postmortem file name ending in \.txt/);
  });
});
