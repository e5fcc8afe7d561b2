import { homedir } from 'node:os';
import { join } from 'node:path';
import versions from './versions.json' with { type: 'json' };

export { versions };

/** Versioned tool cache outside the checkout, so a fresh clone on the same machine reuses it. */
export function cacheDir(): string {
  const fromEnv = process.env.HARNESS_CACHE_DIR;
  if (fromEnv) return fromEnv;
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'incident-harness');
}

export type ToolName = 'k6' | 'toxiproxy-server' | 'toxiproxy-cli';

export function toolPath(tool: ToolName): string {
  const override = process.env[`HARNESS_${tool.toUpperCase().replace('-', '_')}_BIN`];
  if (override) return override;
  const dir = tool === 'k6' ? `k6-${versions.k6}` : `toxiproxy-${versions.toxiproxy}`;
  return join(cacheDir(), 'tools', dir, tool);
}

export const SETUP_COMMAND = 'npm run setup';

/**
 * The TestRun CRD of k6-operator (its Go module's config/crd/bases/k6.io_testruns.yaml), which set-up
 * extracts into the tool cache; `harness export k6-operator`'s output is checked against it in a test.
 * HARNESS_K6_OPERATOR_CRD names another copy (e.g. `kubectl get crd testruns.k6.io -o yaml` of a cluster).
 */
export function k6OperatorCrdPath(): string {
  return process.env.HARNESS_K6_OPERATOR_CRD || join(cacheDir(), 'tools', `k6-operator-${versions.k6Operator}`, 'k6.io_testruns.yaml');
}

export class K6MissingError extends Error {
  readonly code = 'K6_MISSING';
  constructor(path: string) {
    super(`k6 not found at ${path}; run \`${SETUP_COMMAND}\` (it builds k6 into the tool cache)`);
  }
}
