import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.ts';
import { ConfigError } from './errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'sut-config-'));
function file(obj: unknown): string {
  const p = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify(obj));
  return p;
}
function rejection(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected the configuration to be rejected');
}

const C2 = { configVersion: 'c2', activityTimeout: 60, metricsServiceAddress: 'metrics.internal:8125' };

describe('environment', () => {
  it('defaults are healthy and bind 127.0.0.1', () => {
    const c = loadConfig({});
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(6001);
    expect([...c.roles]).toEqual(['ws', 'fallback', 'rest', 'webhook-dispatcher']);
    expect(c.appVersion).toBe('v1');
    expect(c.redisUrl).toBeUndefined();
    expect(c.switches).toEqual({
      maxConnections: 0,
      overCapMode: 'drop',
      retainedBytesPerConnection: 0,
      keepaliveDouble4xx: false,
      wsWebhookStreamEnabled: true,
      fallbackWebhookStreamEnabled: true,
      fallbackMaxSessions: 0,
      fallbackMaxConcurrent: 0,
      fallbackQueueLimit: 1000,
      fallbackRequestCostMs: 0,
    });
    expect(c.liveHeapSampleMs).toBe(0);
    expect(loadConfig({ LIVE_HEAP_SAMPLE_MS: '2000' }).liveHeapSampleMs).toBe(2000);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', /integer from 0 to 65535/],
    [{ ROLES: 'ws,gateway' }, 'ROLES', /"gateway".*ws, fallback, rest, webhook-dispatcher/],
    [{ APP_VERSION: 'v7' }, 'APP_VERSION', /one of v1, v2, v3/],
    [{ OVER_CAP_MODE: 'reject' }, 'OVER_CAP_MODE', /one of drop, close-4100/],
    [{ KEEPALIVE_DOUBLE_4XX: 'yes' }, 'KEEPALIVE_DOUBLE_4XX', /one of true, false/],
    [{ FALLBACK_STREAM_WRITES: '0' }, 'FALLBACK_STREAM_WRITES', /one of true, false/],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL', /redis:\/\//],
    [{ CONFIG_UNKNOWN_KEYS: 'ignore' }, 'CONFIG_UNKNOWN_KEYS', /one of warn, reject/],
    [{ LIVE_HEAP_SAMPLE_MS: '50' }, 'LIVE_HEAP_SAMPLE_MS', /0 \(off\) or from 100 to 600000/],
    [{ LIVE_HEAP_SAMPLE_MS: '1s' }, 'LIVE_HEAP_SAMPLE_MS', /integer from 0 to 600000/],
  ])('%j is rejected naming %s and the expected values', (env, variable, message) => {
    const err = rejection(env);
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(new RegExp(variable));
    expect(err.message).toMatch(message);
  });
});

describe('config versions (2019-12)', () => {
  it('v1 with the strict policy refuses a config that has v2\'s key', () => {
    const err = rejection({ APP_VERSION: 'v1', CONFIG_UNKNOWN_KEYS: 'reject', CONFIG_FILE: file(C2) });
    expect(err.message).toMatch(/v1 does not know config key\(s\) metricsServiceAddress/);
  });

  it('v1 with the tolerant default ignores it and reports the ignored key', () => {
    const c = loadConfig({ APP_VERSION: 'v1', CONFIG_FILE: file(C2) });
    expect(c.ignoredConfigKeys).toEqual(['metricsServiceAddress']);
    expect(c.file.metricsServiceAddress).toBeUndefined();
    expect(c.file.configVersion).toBe('c2');
    expect(c.file.activityTimeout).toBe(60);
  });

  it('v2 knows the key and requires it; v3 too', () => {
    expect(loadConfig({ APP_VERSION: 'v2', CONFIG_UNKNOWN_KEYS: 'reject', CONFIG_FILE: file(C2) }).file.metricsServiceAddress).toBe('metrics.internal:8125');
    expect(rejection({ APP_VERSION: 'v2', CONFIG_FILE: file({ configVersion: 'c1' }) }).message).toMatch(/requires config key metricsServiceAddress/);
    expect(loadConfig({ APP_VERSION: 'v3', CONFIG_FILE: file(C2) }).versionSpec.metricsTagLeaksIntoRouting).toBe(false);
    expect(loadConfig({ APP_VERSION: 'v2', CONFIG_FILE: file(C2) }).versionSpec.metricsTagLeaksIntoRouting).toBe(true);
  });

  it('an unreadable or invalid file is rejected with its path', () => {
    expect(rejection({ CONFIG_FILE: join(dir, 'missing.json') }).message).toMatch(/cannot read .*missing\.json/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{nope');
    expect(rejection({ CONFIG_FILE: bad }).message).toMatch(/not valid JSON/);
    expect(rejection({ CONFIG_FILE: file({ activityTimeout: 0 }) }).message).toMatch(/activityTimeout must be an integer >= 1/);
  });
});
