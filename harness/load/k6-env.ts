import { resolve } from 'node:path';
import type { ZodSafeParseResult } from 'zod';
import { K6_CHURN_PARAMS, K6_CHURN_SCRIPTS, K6_SCRIPT_PARAMS, type HarnessK6Param, type K6ChurnParams, type K6ScriptName, type K6ScriptParams } from '../scenario/k6-scripts.ts';
import type { App } from './app.ts';

/** The harness's k6 scripts (their parameters: harness/scenario/k6-scripts.ts). */
export const LOAD_SCRIPTS_DIR = resolve(import.meta.dirname, '../../scenarios/load');

export function k6ScriptPath(script: K6ScriptName): string {
  return resolve(LOAD_SCRIPTS_DIR, script);
}

/** What the harness itself gives every script but the target: as whom, how much and for how long. */
export interface K6LoadBase {
  app: App;
  vus: number;
  durationS: number;
  maxConnections?: number;
  seed?: number;
  /** Sockets that leave and come back, as CHURN_* (only for a script in K6_CHURN_SCRIPTS). */
  churn?: K6ChurnParams;
}

/** What the harness itself gives every script: where to send load, as whom, how much and for how long. */
export interface K6RunBase extends K6LoadBase {
  /** The loopback port the script targets (EDGE_HTTP and EDGE_WS), or one per edge process (comma-separated lists). */
  port: number | readonly number[];
}

function edgeUrls(scheme: 'http' | 'ws', port: number | readonly number[]): string {
  return (typeof port === 'number' ? [port] : port).map((p) => `${scheme}://127.0.0.1:${p}`).join(',');
}

/** Throws naming the script and the problems, pointing at the table. */
function parsed(script: K6ScriptName, result: ZodSafeParseResult<unknown>): Record<string, unknown> {
  if (result.success) return result.data as Record<string, unknown>;
  const problems = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(params)'}: ${i.message}`).join('; ');
  throw new Error(`k6 ${script}: ${problems} (parameters: harness/scenario/k6-scripts.ts)`);
}

/**
 * The one place a k6 env is built: the harness's parameters from the run, then the script's own,
 * validated against its schema (a misspelt or mistyped one throws here, naming it, instead of
 * silently becoming the script's default). Values as k6 reads them: strings, booleans as true/false.
 */
export function k6Env<S extends K6ScriptName>(script: S, base: K6RunBase, params: K6ScriptParams<S>): Record<string, string> {
  return { EDGE_HTTP: edgeUrls('http', base.port), EDGE_WS: edgeUrls('ws', base.port), ...k6LoadEnv(script, base, params) };
}

/**
 * The env of k6Env without the target (EDGE_HTTP, EDGE_WS): what a script receives wherever it
 * runs, here against the loopback edge or exported to a cluster (harness/export/) against its edge.
 */
export function k6LoadEnv<S extends K6ScriptName>(script: S, base: K6LoadBase, params: K6ScriptParams<S>): Record<string, string> {
  const own = parsed(script, K6_SCRIPT_PARAMS[script].safeParse(params));
  if (base.churn !== undefined && !K6_CHURN_SCRIPTS.includes(script)) {
    throw new Error(`k6 ${script}: does not churn its sockets; churn is read by ${K6_CHURN_SCRIPTS.join(', ')} (harness/scenario/k6-scripts.ts)`);
  }
  const churn = base.churn === undefined ? {} : parsed(script, K6_CHURN_PARAMS.safeParse(base.churn));
  const harness: Partial<Record<Exclude<HarnessK6Param, 'EDGE_HTTP' | 'EDGE_WS'>, string | number>> = {
    APP_ID: base.app.id,
    APP_KEY: base.app.key,
    APP_SECRET: base.app.secret,
    VUS: base.vus,
    DURATION_S: base.durationS,
    MAX_CONNECTIONS: base.maxConnections,
    SEED: base.seed,
  };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...harness, ...churn, ...own })) {
    if (value !== undefined) env[name] = String(value);
  }
  return env;
}
