import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.ts';
import { ConfigError } from './errors.ts';

function rejection(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected the configuration to be rejected');
}

// The 2022-08 migration: the new fallback servers kept a template's FALLBACK_STREAM_WRITES=false and
// got the enabling switch under the name the ws servers read.
const MIGRATED_FALLBACK = { ROLES: 'fallback', FALLBACK_STREAM_WRITES: 'false', WEBHOOK_STREAM_ENABLED: 'true' };

describe('ENV_STRICT (2022-08 remedy)', () => {
  it('off by default: the misnamed variable is ignored and the fallback silently stops writing webhooks', () => {
    const c = loadConfig(MIGRATED_FALLBACK);
    expect(c.switches.fallbackWebhookStreamEnabled).toBe(false);
  });

  it('refuses a variable the pod\'s roles would ignore, naming it and the role that reads it', () => {
    const err = rejection({ ...MIGRATED_FALLBACK, ENV_STRICT: 'true' });
    expect(err.variable).toBe('WEBHOOK_STREAM_ENABLED');
    expect(err.message).toMatch(/read only by the ws role.*roles are fallback/);
  });

  it('refuses an unknown variable that looks like one of ours, with the closest known name', () => {
    const err = rejection({ ROLES: 'fallback', FALLBACK_STREAM_WRITES: 'true', FALLBACK_STREAM_WRITE: 'true', ENV_STRICT: 'true' });
    expect(err.variable).toBe('FALLBACK_STREAM_WRITE');
    expect(err.message).toMatch(/not a variable this server reads \(did you mean FALLBACK_STREAM_WRITES\?\)/);
  });

  it('refuses a role switch left to its default', () => {
    const err = rejection({ ROLES: 'fallback', ENV_STRICT: 'true' });
    expect(err.variable).toBe('FALLBACK_STREAM_WRITES');
    expect(err.message).toMatch(/missing: the fallback role needs it set explicitly/);
    expect(rejection({ ROLES: 'ws,rest', ENV_STRICT: 'true' }).variable).toBe('WEBHOOK_STREAM_ENABLED');
  });

  it('accepts a correct environment, and leaves variables that are not ours alone', () => {
    const c = loadConfig({ ROLES: 'fallback', FALLBACK_STREAM_WRITES: 'true', ENV_STRICT: 'true', PATH: '/bin', NODE_OPTIONS: '--x', WEBHOOK_URL: 'http://127.0.0.1:1/w' });
    expect(c.switches.fallbackWebhookStreamEnabled).toBe(true);
    expect(loadConfig({ ROLES: 'ws,rest', WEBHOOK_STREAM_ENABLED: 'true', KEEPALIVE_DOUBLE_4XX: 'false', ENV_STRICT: 'true' }).roles.has('rest')).toBe(true);
    expect(loadConfig({ ROLES: 'webhook-dispatcher', ENV_STRICT: 'true' }).roles.has('webhook-dispatcher')).toBe(true);
  });
});
