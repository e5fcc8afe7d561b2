import { z } from 'zod';

// The k6 scripts in scenarios/load/ and the parameters each one reads (k6 `-e NAME=value`, read as
// `__ENV.NAME` in the script). k6 hands a script any name it is given, and a script falls back to
// its default for a name it does not read, so a misspelt parameter would silently change nothing:
// this table is the contract, checked both ways. A scenario's `load.k6[].params` are validated
// against it when the scenario loads (k6-checks.ts), the env is built from it (load/k6-env.ts), and
// k6-scripts.test.ts checks that each script reads exactly the names its entry declares.

const count = z.int().nonnegative();
const positiveInt = z.int().positive();
const channelKind = z.enum(['public', 'private', 'presence']);

/**
 * Set by the harness for every script from the run itself (the edge, the app, `vus`, `durationS`,
 * the scenario's connection bound and seed); a scenario's `params` cannot set them.
 */
export const HARNESS_K6_PARAMS = ['EDGE_HTTP', 'EDGE_WS', 'APP_ID', 'APP_KEY', 'APP_SECRET', 'VUS', 'DURATION_S', 'MAX_CONNECTIONS', 'SEED'] as const;
export type HarnessK6Param = (typeof HARNESS_K6_PARAMS)[number];

/**
 * Set by the harness from `load.k6[].churn` (schema.ts), resolved to replay seconds, for the scripts
 * that churn their sockets; a scenario's `params` cannot set them.
 */
export const K6_CHURN_PARAMS = z.strictObject({
  /** Share of a VU's open sockets that leaves each second, in (0, 0.2]. */
  CHURN_SHARE_PER_S: z.number().gt(0).max(0.2),
  /** Churn runs over [CHURN_FROM_S, CHURN_TO_S) of the script's run. */
  CHURN_FROM_S: z.number().nonnegative(),
  CHURN_TO_S: z.number().positive(),
  /** How long a socket that left stays away before it reconnects, at most 60 000. */
  CHURN_AWAY_MS: count.max(60_000),
});
export type K6ChurnParams = z.input<typeof K6_CHURN_PARAMS>;
export const K6_CHURN_PARAM_NAMES = Object.keys(K6_CHURN_PARAMS.shape) as (keyof K6ChurnParams)[];

/** Each script's own parameters: what a scenario's `params` may set (all optional: the script has defaults). */
export const K6_SCRIPT_PARAMS = {
  'ws-subscribers.ts': z.strictObject({
    /** Sockets per VU, capped so VUS × SOCKETS_PER_VU ≤ MAX_CONNECTIONS. Default 10. */
    SOCKETS_PER_VU: positiveInt.optional(),
    /** Channel pool `load-0..N-1` (match rest-publish's). Default 1. */
    CHANNELS: positiveInt.optional(),
    CHANNEL_KIND: channelKind.optional(),
    /** A VU opens its sockets spread over this many seconds. Default 0. */
    RAMP_S: z.number().nonnegative().optional(),
    /** Reopen a socket after it closed. Default true. */
    RECONNECT: z.boolean().optional(),
    /** Delay before a socket reopens; with RECONNECT_MAX_DELAY_MS it doubles per failure in a row up to that. Default 1000. */
    RECONNECT_DELAY_MS: count.optional(),
    /** The backoff's ceiling. Default RECONNECT_DELAY_MS (no growth). */
    RECONNECT_MAX_DELAY_MS: count.optional(),
    /** Each delay drawn uniformly below its ceiling (pusher-js-style jitter). Default false. */
    RECONNECT_JITTER: z.boolean().optional(),
    /** Connection attempts per socket, the first included. Default 1000. */
    MAX_ATTEMPTS_PER_SOCKET: positiveInt.optional(),
    /** An attempt without connection_established by then fails (no_established) and tries again; 0 never. Default 15000 (pusher-js's first attempt's timeout). */
    ESTABLISHED_TIMEOUT_MS: count.optional(),
    /** How often message counts are flushed. Default 1000. */
    REPORT_EVERY_MS: z.int().min(100).optional(),
  }),
  'rest-publish.ts': z.strictObject({
    /** Publishes per second, all VUs together (rounded down, at least 1). Default 10. */
    RATE_PER_S: z.number().positive().optional(),
    /** Event data size (at least 16). Default 100. */
    PAYLOAD_BYTES: positiveInt.optional(),
    CHANNELS: positiveInt.optional(),
    CHANNEL_KIND: channelKind.optional(),
    /** Event name. Default `load`. */
    EVENT: z.string().regex(/^[\w.:-]{1,200}$/, 'expected an event name of letters, digits, _ - . :').optional(),
    /** Every Nth request carries event data over the 10 KB limit (413 expected); 0 never. */
    OVERSIZED_EVERY: count.optional(),
    /** Keep-alive connections (k6's default); false opens a connection per request. */
    KEEP_ALIVE: z.boolean().optional(),
    REPORT_EVERY_MS: z.int().min(100).optional(),
  }),
  'smoke-http.ts': z.strictObject({
    /** The URL every iteration GETs. */
    TARGET: z.url().optional(),
    ITERATIONS: positiveInt.optional(),
    /** A k6 threshold on http_req_duration, e.g. `p(95)<1000`. */
    DURATION_THRESHOLD: z.string().min(1).optional(),
  }),
} as const;

export type K6ScriptName = keyof typeof K6_SCRIPT_PARAMS;
export const K6_SCRIPT_NAMES = Object.keys(K6_SCRIPT_PARAMS) as [K6ScriptName, ...K6ScriptName[]];
export type K6ScriptParams<S extends K6ScriptName> = z.input<(typeof K6_SCRIPT_PARAMS)[S]>;

/** The scripts that read the churn parameters: the only ones `load.k6[].churn` may be set on. */
export const K6_CHURN_SCRIPTS: readonly K6ScriptName[] = ['ws-subscribers.ts'];

/**
 * The scripts that start iterations at a rate (k6's constant-arrival-rate) from pre-allocated VUs.
 * Split over processes, each keeps the rate's share but only its share of the VUs: with one VU, a
 * slow answer holds the only VU and that process drops its iterations.
 */
export const K6_RATE_SCRIPTS: readonly K6ScriptName[] = ['rest-publish.ts'];
/** Pre-allocated VUs each process of a split rate run needs at the least (load.publish is given as many). */
export const RATE_MIN_VUS_PER_PROCESS = 2;

/** The names a script's `params` may set, in the table's order. */
export function k6ParamNames(script: K6ScriptName): string[] {
  return Object.keys(K6_SCRIPT_PARAMS[script].shape);
}
