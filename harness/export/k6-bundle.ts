import { build } from 'esbuild';
import { basename } from 'node:path';
import { k6ScriptPath } from '../load/k6-env.ts';
import type { K6ScriptName } from '../scenario/k6-scripts.ts';

/** The name of the bundled script in its ConfigMap: `ws-subscribers.ts` → `ws-subscribers.js`. */
export function bundledScriptFile(script: K6ScriptName): string {
  return `${basename(script, '.ts')}.js`;
}

/**
 * One of the harness's k6 scripts as one self-contained JavaScript file for a k6 that has none of
 * this repository: its local imports inlined, k6's own modules left to k6, types stripped. Built with
 * HARNESS_EXPORTED_FOR_CLUSTER set, so the script aims at the cluster's edge it is given instead of
 * refusing everything but 127.0.0.1 (scenarios/load/lib/params.ts).
 */
export function bundleK6Script(script: K6ScriptName): Promise<string> {
  // One build per script and process: every TestRun of that script holds the same text.
  let bundle = bundles.get(script);
  if (bundle === undefined) {
    bundle = build1(script);
    bundles.set(script, bundle);
    bundle.catch(() => bundles.delete(script));
  }
  return bundle;
}

const bundles = new Map<K6ScriptName, Promise<string>>();

async function build1(script: K6ScriptName): Promise<string> {
  const result = await build({
    entryPoints: [k6ScriptPath(script)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['k6', 'k6/*'],
    define: { HARNESS_EXPORTED_FOR_CLUSTER: 'true' },
    banner: { js: `// scenarios/load/${script} of the incident-replay harness, bundled by \`harness export k6-operator\`: it sends load to EDGE_HTTP / EDGE_WS as given.` },
    legalComments: 'none',
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error(`esbuild wrote no output for ${script}`);
  return out.text;
}
