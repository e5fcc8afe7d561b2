import { describe, expect, it } from 'vitest';
import {
  channelAuthString,
  md5Hex,
  restSignature,
  restStringToSign,
  verifyChannelAuth,
  verifyRestRequest,
  webhookSignature,
  hmacHex,
} from './signing.ts';

// Worked examples from Pusher's public documentation (auth signatures, HTTP API reference).
const KEY = '278d425bdf160c739803';
const SECRET = '7ad3773142a6692b25b8';

describe('channel authorization (docs worked examples)', () => {
  it('private-foobar for socket 1234.1234', () => {
    expect(channelAuthString(KEY, SECRET, '1234.1234', 'private-foobar')).toBe(
      '278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4',
    );
  });
  it('presence-foobar with channel_data', () => {
    const data = '{"user_id":10,"user_info":{"name":"Mr. Pusher"}}';
    expect(channelAuthString(KEY, SECRET, '1234.1234', 'presence-foobar', data)).toBe(
      '278d425bdf160c739803:afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c',
    );
  });
  it('rejects a signature for another socket or a non-string', () => {
    const auth = channelAuthString(KEY, SECRET, '1234.1234', 'private-foobar');
    expect(verifyChannelAuth(KEY, SECRET, '1234.1234', 'private-foobar', auth)).toBe(true);
    expect(verifyChannelAuth(KEY, SECRET, '1234.5678', 'private-foobar', auth)).toBe(false);
    expect(verifyChannelAuth(KEY, SECRET, '1234.1234', 'private-foobar', 42)).toBe(false);
  });
});

describe('REST request signing (docs worked example)', () => {
  const body = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';
  const query = { auth_key: KEY, auth_timestamp: '1353088179', auth_version: '1.0', body_md5: md5Hex(body) };

  it('body_md5 and signature match the documented values', () => {
    expect(query.body_md5).toBe('ec365a775a4cd0599faeb73354201b6f');
    expect(restStringToSign('POST', '/apps/3/events', query)).toBe(
      'POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f',
    );
    expect(restSignature(SECRET, 'POST', '/apps/3/events', query)).toBe(
      'da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c',
    );
  });

  const signed = {
    ...query,
    auth_signature: 'da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c',
  };
  const base = { method: 'POST', path: '/apps/3/events', key: KEY, secret: SECRET, body: Buffer.from(body) };

  it('verifies the worked example at its own time and within 600 s', () => {
    expect(verifyRestRequest({ ...base, query: signed, nowSeconds: 1353088179 })).toEqual({ ok: true });
    expect(verifyRestRequest({ ...base, query: signed, nowSeconds: 1353088179 + 600 })).toEqual({ ok: true });
  });
  it('rejects a stale timestamp, a wrong signature, a changed body', () => {
    expect(verifyRestRequest({ ...base, query: signed, nowSeconds: 1353088179 + 601 }).ok).toBe(false);
    expect(verifyRestRequest({ ...base, query: { ...signed, auth_signature: '0'.repeat(64) }, nowSeconds: 1353088179 }).ok).toBe(false);
    expect(verifyRestRequest({ ...base, body: Buffer.from(body + ' '), query: signed, nowSeconds: 1353088179 }).ok).toBe(false);
    expect(verifyRestRequest({ ...base, query: { ...signed, auth_key: 'other' }, nowSeconds: 1353088179 }).ok).toBe(false);
  });
});

describe('webhook signature', () => {
  it('is the HMAC SHA256 hex of the raw body', () => {
    expect(webhookSignature(SECRET, '{"a":1}')).toBe(hmacHex(SECRET, '{"a":1}'));
    expect(webhookSignature(SECRET, '{"a":1}')).toMatch(/^[0-9a-f]{64}$/);
  });
});
