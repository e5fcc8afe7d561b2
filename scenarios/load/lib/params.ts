// Shared by the k6 scripts: parameters from -e KEY=VALUE, validated the same way everywhere.

export function num(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!isFinite(v) || v < 0) throw new Error(`${name}=${raw}: expected a number >= 0`);
  return v;
}

/**
/**
 * True only in the bundle `harness export k6-operator` writes for a team's own cluster (an esbuild
 * `define`, harness/export/k6-bundle.ts); k6 running these files from here never has it.
 */
declare const HARNESS_EXPORTED_FOR_CLUSTER: boolean | undefined;
const FOR_CLUSTER = typeof HARNESS_EXPORTED_FOR_CLUSTER !== 'undefined' && HARNESS_EXPORTED_FOR_CLUSTER;

/**
 * Load goes to this machine only: a wrong parameter must never aim it anywhere else. The exported
 * bundle aims at the cluster's edge the user named: any host, with or without TLS, no path.
 * A comma-separated list (one URL per edge process): clients spread over them as weighted DNS spread
 * clients over load balancers.
 */
export function loopbackUrls(name: string, scheme: 'http' | 'ws'): string[] {
  const raw = __ENV[name] || '';
  const urls = raw.split(',');
  for (const url of urls) {
    if (FOR_CLUSTER) {
      if (!new RegExp(`^${scheme}s?://[A-Za-z0-9.-]+(:\\d+)?$`).test(url)) throw new Error(`${name}=${raw}: expected ${scheme}[s]://<host>[:<port>], the cluster's edge, or several separated by commas`);
    } else if (!new RegExp(`^${scheme}://127\\.0\\.0\\.1:\\d+$`).test(url)) {
      throw new Error(`${name}=${raw}: expected ${scheme}://127.0.0.1:<port>, or several separated by commas`);
    }
  }
  return urls;
}

export const APP_KEY = __ENV.APP_KEY || 'app-key';
export const APP_SECRET = __ENV.APP_SECRET || 'app-secret';
