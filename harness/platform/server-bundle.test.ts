import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_BUNDLE_DIR, SERVER_BUNDLE_ENV, serverBundleDir, serverBundleProblem } from './server-bundle.ts';

describe('which server bundle the pods run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the checkout\'s dist/ unless HARNESS_SERVER_BUNDLE_DIR names another directory', () => {
    expect(serverBundleDir({})).toBe(SERVER_BUNDLE_DIR);
    expect(serverBundleDir({ [SERVER_BUNDLE_ENV]: dir })).toBe(dir);
  });

  it('names the variable and the fix when the directory cannot be mounted', () => {
    expect(serverBundleProblem({ [SERVER_BUNDLE_ENV]: 'relative/dist' })).toMatch(/HARNESS_SERVER_BUNDLE_DIR=relative\/dist is not an absolute path/);
    expect(serverBundleProblem({ [SERVER_BUNDLE_ENV]: dir })).toMatch(/has no server\.mjs; build one there .* or unset HARNESS_SERVER_BUNDLE_DIR/);
    writeFileSync(join(dir, 'server.mjs'), '');
    expect(serverBundleProblem({ [SERVER_BUNDLE_ENV]: dir })).toBeUndefined();
  });
});
