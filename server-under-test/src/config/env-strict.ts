/**
 * ENV_STRICT=true (the 2022-08 remedy): the pod refuses to start on an environment that names a
 * variable it would not read, or that leaves one of its roles' switches to a silent default. In
 * the report a wrongly named variable on the new fallback servers disabled the webhook stream and
 * nothing said so; with this check that roll-out stops at its first pod.
 */
import { ConfigError } from './errors.ts';
import type { Role } from './env.ts';

/** Variables only some roles read; every other known variable is read by every pod. */
export const ROLE_VARIABLES: Readonly<Record<string, readonly Role[]>> = {
  MAX_CONNECTIONS: ['ws'],
  OVER_CAP_MODE: ['ws'],
  WEBHOOK_STREAM_ENABLED: ['ws'],
  FALLBACK_STREAM_WRITES: ['fallback'],
  FALLBACK_DISCONNECT_DELAY_MS: ['fallback'],
  FALLBACK_MAX_SESSIONS: ['fallback'],
  FALLBACK_MAX_CONCURRENT: ['fallback'],
  FALLBACK_QUEUE_LIMIT: ['fallback'],
  FALLBACK_REQUEST_COST_MS: ['fallback'],
  KEEPALIVE_DOUBLE_4XX: ['rest'],
};

/** Switches a strict pod wants spelled out: a default nobody wrote down hid the 2022-08 mistake. */
export const REQUIRED_BY_ROLE: Readonly<Record<Role, readonly string[]>> = {
  ws: ['WEBHOOK_STREAM_ENABLED'],
  fallback: ['FALLBACK_STREAM_WRITES'],
  rest: [],
  'webhook-dispatcher': [],
};

const firstWord = (name: string): string => name.split('_')[0] ?? name;

/** Edit distance, to suggest the variable a typo meant. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Throws ConfigError naming the first offending variable. `known` is every variable the server
 * reads; a set variable whose first word is one of theirs (WEBHOOK_..., FALLBACK_...) but which is
 * not one of them counts as ours and unknown, while PATH, HOME, NODE_OPTIONS are left alone.
 */
export function checkEnvStrict(env: Record<string, string | undefined>, roles: ReadonlySet<Role>, known: readonly string[]): void {
  const words = new Set(known.map(firstWord));
  const set = Object.keys(env).filter((k) => env[k] !== undefined && env[k] !== '').sort();
  const roleList = [...roles].join(',');
  for (const name of set) {
    if (!known.includes(name)) {
      if (!words.has(firstWord(name))) continue;
      const closest = [...known].sort((a, b) => distance(name, a) - distance(name, b))[0];
      throw new ConfigError(`${name} is not a variable this server reads (did you mean ${closest}?); ENV_STRICT refuses unknown variables`, name);
    }
    const readers = ROLE_VARIABLES[name];
    if (readers && !readers.some((r) => roles.has(r))) {
      throw new ConfigError(`${name} is read only by the ${readers.join('/')} role, and this pod's roles are ${roleList}; ENV_STRICT refuses a variable that would be ignored`, name);
    }
  }
  for (const role of roles) {
    for (const name of REQUIRED_BY_ROLE[role]) {
      if (!set.includes(name)) throw new ConfigError(`${name} is missing: the ${role} role needs it set explicitly under ENV_STRICT`, name);
    }
  }
}
