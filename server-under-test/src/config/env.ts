import { hostname } from 'node:os';
import { ConfigError } from './errors.ts';
import { checkEnvStrict } from './env-strict.ts';
import { loadFileConfig, type FileConfig, type UnknownKeysPolicy } from './config-file.ts';
import type { RedisDeadlines } from '../state/redis-state.ts';
import { APP_VERSIONS, VERSION_SPECS, type AppVersion, type VersionSpec } from './versions.ts';

export const ROLES = ['ws', 'fallback', 'rest', 'webhook-dispatcher'] as const;
export type Role = (typeof ROLES)[number];
export const OVER_CAP_MODES = ['drop', 'close-4100'] as const;
export type OverCapMode = (typeof OVER_CAP_MODES)[number];

export interface ServerConfig {
  host: string;
  port: number;
  podName: string;
  appId: string;
  appKey: string;
  appSecret: string;
  redisUrl: string | undefined;
  roles: ReadonlySet<Role>;
  appVersion: AppVersion;
  versionSpec: VersionSpec;
  configFile: string | undefined;
  unknownKeys: UnknownKeysPolicy;
  file: FileConfig;
  ignoredConfigKeys: string[];
  webhookUrl: string | undefined;
  webhookStream: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  shutdownGraceMs: number;
  /** A fallback session ends when no receiving request was attached for this long. */
  fallbackDisconnectDelayMs: number;
  switches: Switches;
  limits: ClientLimits;
  redisDeadlines: RedisDeadlines;
  readiness: { mode: ReadinessMode; deadlineMs: number };
  /** Every this many ms a forced full GC and a live-heap sample in /metrics; 0 = off (live-heap.ts). */
  liveHeapSampleMs: number;
}

export const READINESS_MODES = ['shallow', 'deep'] as const;
/** shallow: not draining and the Redis connections are up; deep: also a fan-out round trip in time. */
export type ReadinessMode = (typeof READINESS_MODES)[number];

/** Bounds on slow and abusive clients (issue 13); each bound has a counter in /metrics. */
export interface ClientLimits {
  /** Request line and headers must arrive within this (slowloris); 408 and the socket closes. */
  headersTimeoutMs: number;
  /** A REST or xhr_send body must arrive within this (a trickling body); 408. */
  bodyTimeoutMs: number;
  /** A WebSocket client whose unsent data exceeds this is dropped (it does not read). */
  wsMaxBufferedBytes: number;
  /** Open TCP connections per client address (0 = unlimited: behind a proxy all share one). */
  maxConnectionsPerAddress: number;
  /** Channels one connection may be subscribed to at once; a subscribe beyond gets pusher:error. */
  maxChannelsPerConnection: number;
}

/** The postmortems' root causes. Every default is the healthy behaviour. */
export interface Switches {
  /** 2021-09: per-pod WebSocket connection cap (0 = unlimited). */
  maxConnections: number;
  /** 2021-09: what happens over the cap: drop the socket (client sees 1006) or close 4100. */
  overCapMode: OverCapMode;
  /** 2021-12: bytes allocated, filled and held per open connection (models ingress buffers). */
  retainedBytesPerConnection: number;
  /** 2020-01: write a 4XX response twice on keep-alive connections. */
  keepaliveDouble4xx: boolean;
  /** 2022-08: the ws role writes webhook events to the stream (WEBHOOK_STREAM_ENABLED). */
  wsWebhookStreamEnabled: boolean;
  /** 2022-08: the fallback role reads a differently named variable (FALLBACK_STREAM_WRITES). */
  fallbackWebhookStreamEnabled: boolean;
  /** 2021-09/12: fallback capacity: max live sessions (0 = unlimited). */
  fallbackMaxSessions: number;
  /** fallback capacity: max requests served at once (0 = unlimited); the rest queue. */
  fallbackMaxConcurrent: number;
  /** fallback capacity: queued requests beyond this are refused with 503. */
  fallbackQueueLimit: number;
  /** fallback capacity: service time per fallback request, in ms (models per-request cost). */
  fallbackRequestCostMs: number;
}

export type Env = Record<string, string | undefined>;

/** Every variable the server reads, with its default (documented in README.md). */
export const ENV_DEFAULTS = {
  HOST: '127.0.0.1',
  PORT: '6001',
  POD_NAME: '(the host name)',
  APP_ID: '1',
  APP_KEY: 'app-key',
  APP_SECRET: 'app-secret',
  REDIS_URL: '',
  ROLES: ROLES.join(','),
  APP_VERSION: 'v1',
  CONFIG_FILE: '',
  CONFIG_UNKNOWN_KEYS: 'warn',
  WEBHOOK_URL: '',
  WEBHOOK_STREAM: 'sut:webhooks',
  LOG_LEVEL: 'info',
  SHUTDOWN_GRACE_MS: '5000',
  FALLBACK_DISCONNECT_DELAY_MS: '5000',
  MAX_CONNECTIONS: '0',
  OVER_CAP_MODE: 'drop',
  RETAINED_BYTES_PER_CONNECTION: '0',
  KEEPALIVE_DOUBLE_4XX: 'false',
  WEBHOOK_STREAM_ENABLED: 'true',
  FALLBACK_STREAM_WRITES: 'true',
  FALLBACK_MAX_SESSIONS: '0',
  FALLBACK_MAX_CONCURRENT: '0',
  FALLBACK_QUEUE_LIMIT: '1000',
  FALLBACK_REQUEST_COST_MS: '0',
  HTTP_HEADERS_TIMEOUT_MS: '10000',
  HTTP_BODY_TIMEOUT_MS: '10000',
  WS_MAX_BUFFERED_BYTES: String(4 * 1024 * 1024),
  MAX_CONNECTIONS_PER_ADDRESS: '0',
  MAX_CHANNELS_PER_CONNECTION: '1000',
  REDIS_COMMAND_TIMEOUT_MS: '2000',
  REDIS_PING_INTERVAL_MS: '1000',
  REDIS_PARTITION_TIMEOUT_MS: '5000',
  READINESS_MODE: 'shallow',
  READINESS_DEADLINE_MS: '1000',
  LIVE_HEAP_SAMPLE_MS: '0',
  /** 2022-08 remedy: refuse unknown variables, ones the pod's roles ignore, and unset role switches. */
  ENV_STRICT: 'false',
} as const;

function str(env: Env, name: keyof typeof ENV_DEFAULTS): string {
  const v = env[name];
  return v === undefined || v === '' ? ENV_DEFAULTS[name] : v;
}

function int(env: Env, name: keyof typeof ENV_DEFAULTS, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = str(env, name);
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected an integer from ${min} to ${max}`, name);
  }
  return Number(raw);
}

function oneOf<T extends string>(env: Env, name: keyof typeof ENV_DEFAULTS, values: readonly T[]): T {
  const raw = str(env, name);
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected one of ${values.join(', ')}`, name);
  }
  return raw as T;
}

function bool(env: Env, name: keyof typeof ENV_DEFAULTS): boolean {
  return oneOf(env, name, ['true', 'false'] as const) === 'true';
}

/** 0 (off) or at least 100 ms: a full collection more often than that would be most of the pod's time. */
function liveHeapSampleMs(env: Env): number {
  const ms = int(env, 'LIVE_HEAP_SAMPLE_MS', 0, 600_000);
  if (ms > 0 && ms < 100) throw new ConfigError(`LIVE_HEAP_SAMPLE_MS=${JSON.stringify(String(ms))} is invalid: expected 0 (off) or from 100 to 600000`, 'LIVE_HEAP_SAMPLE_MS');
  return ms;
}

/** Parse and validate the whole configuration; throws ConfigError naming the variable. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const host = str(env, 'HOST');
  const roleNames = str(env, 'ROLES')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (roleNames.length === 0) throw new ConfigError(`ROLES is empty: expected a comma list of ${ROLES.join(', ')}`, 'ROLES');
  for (const r of roleNames) {
    if (!(ROLES as readonly string[]).includes(r)) {
      throw new ConfigError(`ROLES contains ${JSON.stringify(r)}: expected a comma list of ${ROLES.join(', ')}`, 'ROLES');
    }
  }
  if (bool(env, 'ENV_STRICT')) checkEnvStrict(env, new Set(roleNames as Role[]), Object.keys(ENV_DEFAULTS));
  const appVersion = oneOf(env, 'APP_VERSION', APP_VERSIONS);
  const unknownKeys = oneOf(env, 'CONFIG_UNKNOWN_KEYS', ['warn', 'reject'] as const);
  const configFile = env.CONFIG_FILE || undefined;
  const { config: file, ignoredKeys } = loadFileConfig(configFile, appVersion, unknownKeys);
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL=${JSON.stringify(redisUrl)} is invalid: expected redis://host:port`, 'REDIS_URL');
  }
  const webhookUrl = env.WEBHOOK_URL || undefined;
  if (webhookUrl !== undefined && !/^https?:\/\//.test(webhookUrl)) {
    throw new ConfigError(`WEBHOOK_URL=${JSON.stringify(webhookUrl)} is invalid: expected http(s)://...`, 'WEBHOOK_URL');
  }
  for (const name of ['APP_ID', 'APP_KEY', 'APP_SECRET'] as const) {
    if (!/^[A-Za-z0-9_.-]+$/.test(str(env, name))) {
      throw new ConfigError(`${name} is invalid: expected letters, digits, _ . -`, name);
    }
  }
  return {
    host,
    port: int(env, 'PORT', 0, 65535),
    // In a container the host name is the container id: stable across restarts of that container
    // (Redis leftovers of a killed pod are removed by its successor), distinct between pods.
    podName: env.POD_NAME || hostname() || `pod-${process.pid}`,
    appId: str(env, 'APP_ID'),
    appKey: str(env, 'APP_KEY'),
    appSecret: str(env, 'APP_SECRET'),
    redisUrl,
    roles: new Set(roleNames as Role[]),
    appVersion,
    versionSpec: VERSION_SPECS[appVersion],
    configFile,
    unknownKeys,
    file,
    ignoredConfigKeys: ignoredKeys,
    webhookUrl,
    webhookStream: str(env, 'WEBHOOK_STREAM'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 0, 600_000),
    fallbackDisconnectDelayMs: int(env, 'FALLBACK_DISCONNECT_DELAY_MS', 100, 600_000),
    switches: {
      maxConnections: int(env, 'MAX_CONNECTIONS', 0),
      overCapMode: oneOf(env, 'OVER_CAP_MODE', OVER_CAP_MODES),
      retainedBytesPerConnection: int(env, 'RETAINED_BYTES_PER_CONNECTION', 0, 64 * 1024 * 1024),
      keepaliveDouble4xx: bool(env, 'KEEPALIVE_DOUBLE_4XX'),
      wsWebhookStreamEnabled: bool(env, 'WEBHOOK_STREAM_ENABLED'),
      fallbackWebhookStreamEnabled: bool(env, 'FALLBACK_STREAM_WRITES'),
      fallbackMaxSessions: int(env, 'FALLBACK_MAX_SESSIONS', 0),
      fallbackMaxConcurrent: int(env, 'FALLBACK_MAX_CONCURRENT', 0),
      fallbackQueueLimit: int(env, 'FALLBACK_QUEUE_LIMIT', 0),
      fallbackRequestCostMs: int(env, 'FALLBACK_REQUEST_COST_MS', 0, 60_000),
    },
    limits: {
      headersTimeoutMs: int(env, 'HTTP_HEADERS_TIMEOUT_MS', 100, 600_000),
      bodyTimeoutMs: int(env, 'HTTP_BODY_TIMEOUT_MS', 100, 600_000),
      wsMaxBufferedBytes: int(env, 'WS_MAX_BUFFERED_BYTES', 64 * 1024, 1024 * 1024 * 1024),
      maxConnectionsPerAddress: int(env, 'MAX_CONNECTIONS_PER_ADDRESS', 0),
      maxChannelsPerConnection: int(env, 'MAX_CHANNELS_PER_CONNECTION', 1),
    },
    redisDeadlines: {
      commandTimeoutMs: int(env, 'REDIS_COMMAND_TIMEOUT_MS', 10, 600_000),
      pingIntervalMs: int(env, 'REDIS_PING_INTERVAL_MS', 10, 600_000),
      partitionTimeoutMs: int(env, 'REDIS_PARTITION_TIMEOUT_MS', 10, 600_000),
    },
    readiness: { mode: oneOf(env, 'READINESS_MODE', READINESS_MODES), deadlineMs: int(env, 'READINESS_DEADLINE_MS', 10, 60_000) },
    liveHeapSampleMs: liveHeapSampleMs(env),
  };
}

/** Config for tests: defaults plus overrides, no CONFIG_FILE unless given. */
export function testConfig(env: Env = {}): ServerConfig {
  return loadConfig({ PORT: '0', LOG_LEVEL: 'error', POD_NAME: 'test-pod', ...env });
}
