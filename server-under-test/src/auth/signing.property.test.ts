import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5Hex, restSignature, verifyChannelAuth, verifyRestRequest } from './signing.ts';

const KEY = 'k';
const SECRET = 's';
const NOW = 1_700_000_000;
const value = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '1.0', '2.0', String(NOW), '-1', '1e400', 'NaN', String(2 ** 60)));
const queryArb = fc.dictionary(fc.constantFrom('auth_key', 'auth_timestamp', 'auth_version', 'auth_signature', 'body_md5', 'x', 'Auth_Key'), value);

describe('verifyRestRequest (property)', () => {
  it('never throws, and refuses every request it cannot authenticate with 401 (never a 5xx)', () => {
    fc.assert(
      fc.property(queryArb, fc.string({ unit: 'binary', maxLength: 50 }), (query, body) => {
        const r = verifyRestRequest({ method: 'POST', path: '/apps/1/events', query, body: Buffer.from(body), key: KEY, secret: SECRET, nowSeconds: NOW });
        return r.ok || r.status === 401 || r.status === 400;
      }),
      { numRuns: 2000 },
    );
  });

  it('a correctly signed request verifies; any change to its signature or a stale timestamp does not', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.integer({ min: -600, max: 600 }), fc.integer({ min: 601, max: 10 ** 9 }), fc.nat({ max: 63 }), (body, skew, stale, flip) => {
        const signed = (ts: number): Record<string, string> => {
          const q: Record<string, string> = { auth_key: KEY, auth_timestamp: String(ts), auth_version: '1.0' };
          if (body.length > 0) q.body_md5 = md5Hex(Buffer.from(body));
          q.auth_signature = restSignature(SECRET, 'POST', '/apps/1/events', q);
          return q;
        };
        const input = (query: Record<string, string>) => ({ method: 'POST', path: '/apps/1/events', query, body: Buffer.from(body), key: KEY, secret: SECRET, nowSeconds: NOW });
        const good = signed(NOW + skew);
        expect(verifyRestRequest(input(good)).ok).toBe(true);
        const sig = good.auth_signature!;
        const tampered = sig.slice(0, flip) + (sig[flip] === '0' ? '1' : '0') + sig.slice(flip + 1);
        expect(verifyRestRequest(input({ ...good, auth_signature: tampered }))).toMatchObject({ ok: false, status: 401 });
        expect(verifyRestRequest(input(signed(NOW - stale)))).toMatchObject({ ok: false, status: 401 });
      }),
    );
  });
});

describe('verifyChannelAuth (property)', () => {
  it('never throws and never accepts an auth value of the wrong type or a forged one', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.object()), (auth) => !verifyChannelAuth(KEY, SECRET, '1.1', 'private-a', auth)),
    );
  });
});
