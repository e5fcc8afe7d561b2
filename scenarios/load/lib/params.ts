// Shared by the k6 scripts: parameters from -e KEY=VALUE, validated the same way everywhere.

export function num(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!isFinite(v) || v < 0) throw new Error(`${name}=${raw}: expected a number >= 0`);
  return v;
}

/** Load goes to this machine only: a wrong parameter must never aim it anywhere else. */
export function loopbackUrl(name: string, scheme: 'http' | 'ws'): string {
  const url = __ENV[name] || '';
  if (!new RegExp(`^${scheme}://127\\.0\\.0\\.1:\\d+$`).test(url)) throw new Error(`${name}=${url}: expected ${scheme}://127.0.0.1:<port>`);
  return url;
}

export const APP_KEY = __ENV.APP_KEY || 'app-key';
export const APP_SECRET = __ENV.APP_SECRET || 'app-secret';
