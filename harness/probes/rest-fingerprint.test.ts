import { describe, expect, it } from 'vitest';
import { expectedFingerprint, responseFingerprint } from './rest-fingerprint.ts';
import { planRequest } from './rest-probe.ts';

describe('REST fingerprints', () => {
  it('each request kind expects a distinct answer', () => {
    const all = [expectedFingerprint('publish', true), expectedFingerprint('publish', false), expectedFingerprint('channel-info', true)];
    expect(new Set(all).size).toBe(3);
  });

  it("a request's own answer matches its expectation", () => {
    expect(responseFingerprint(200, '{}')).toBe(expectedFingerprint('publish', true));
    expect(responseFingerprint(413, '{"error":"Event data too large: limit is 10240 bytes"}')).toBe(expectedFingerprint('publish', false));
    expect(responseFingerprint(200, '{"occupied":false,"subscription_count":0}')).toBe(expectedFingerprint('channel-info', true));
    // sockudo's answers (docs/servers.md).
    expect(responseFingerprint(200, '{"ok":true}')).toBe(expectedFingerprint('publish', true));
    expect(responseFingerprint(413, '{"code":"payload_too_large","error":"Event payload size (11264 bytes) for event \'e\' exceeds limit (10KB)","status":413}')).toBe(expectedFingerprint('publish', false));
  });

  it("another request's answer does not", () => {
    // Shifted by one after a doubled 413: the channel query reads the copy of the 413...
    expect(responseFingerprint(413, '{"error":"Event data too large"}')).not.toBe(expectedFingerprint('channel-info', true));
    // ...and the next publish reads the channel query's answer.
    expect(responseFingerprint(200, '{"occupied":true}')).not.toBe(expectedFingerprint('publish', true));
    expect(responseFingerprint(401, '{"error":"Invalid signature"}')).not.toBe(expectedFingerprint('publish', true));
    expect(responseFingerprint(502, '<html>Bad Gateway</html>')).toBe('502 not-json');
  });
});

describe('planRequest', () => {
  it('alternates the mix and makes every Nth request an oversized publish', () => {
    const spec = { mix: ['publish', 'channel-info'] as ('publish' | 'channel-info')[], oversizedEvery: 3 };
    const plan = [1, 2, 3, 4, 5, 6].map((n) => planRequest(spec, n));
    expect(plan).toEqual([
      { kind: 'publish', valid: true },
      { kind: 'channel-info', valid: true },
      { kind: 'publish', valid: false },
      { kind: 'channel-info', valid: true },
      { kind: 'publish', valid: true },
      { kind: 'publish', valid: false },
    ]);
  });

  it('oversizedEvery 0 never sends an oversized request', () => {
    const spec = { mix: ['publish'] as 'publish'[], oversizedEvery: 0 };
    expect([1, 2, 3, 4].every((n) => planRequest(spec, n).valid)).toBe(true);
  });
});
