import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fallbackTarget, otherTarget, restTarget, segment, upgradeTarget } from '../testing/hostile-arbitraries.ts';
import { clientErrorAnswer } from './raw-response.ts';
import { decodeSegment, MAX_TARGET_LENGTH, parseTarget } from './request-target.ts';

const anyTarget = fc.oneof(restTarget, fallbackTarget, otherTarget, upgradeTarget, fc.string({ unit: 'binary', maxLength: 200 }));

describe('parseTarget (property)', () => {
  it('never throws; refuses with 400 or 414 exactly when decoding the path would fail or it is too long', () => {
    fc.assert(
      fc.property(anyTarget, (target) => {
        const r = parseTarget(target);
        if (target.length > MAX_TARGET_LENGTH) return !r.ok && r.status === 414;
        if (r.ok) return decodeSegment(r.url.pathname) !== undefined;
        return r.status === 400;
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every path made of percent-encoded unicode segments and decodes them back', () => {
    // "." and ".." are dot segments, which URL parsing removes (RFC 3986 §5.2.4), and encodeURIComponent
    // leaves them as they are: a path with one has fewer segments by design (found by a 300,000-run search).
    const notDotSegment = (part: string) => part !== '.' && part !== '..';
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter(notDotSegment), { minLength: 1, maxLength: 4 }), (parts) => {
        const r = parseTarget('/' + parts.map(encodeURIComponent).join('/'));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.url.pathname.split('/').slice(1).map((s) => decodeSegment(s))).toEqual(parts);
      }),
    );
  });

  it('dot segments are removed as URL parsing defines, not decoded as names', () => {
    expect(parseTarget('/./%20')).toMatchObject({ ok: true, url: { pathname: '/%20' } });
    expect(parseTarget('/apps/../x')).toMatchObject({ ok: true, url: { pathname: '/x' } });
  });

  it('the two crashing targets of issue 13 are refused with 400', () => {
    expect(parseTarget('/apps/%E0%A4%A/events')).toMatchObject({ ok: false, status: 400 });
    expect(parseTarget('/app/%E0%A4%A?protocol=7')).toMatchObject({ ok: false, status: 400 });
  });
});

describe('decodeSegment (property)', () => {
  it('never throws, and agrees with decodeURIComponent whenever that succeeds', () => {
    fc.assert(
      fc.property(fc.oneof(segment, fc.string({ unit: 'binary', maxLength: 40 })), (s) => {
        let expected: string | undefined;
        try {
          expected = decodeURIComponent(s);
        } catch {
          expected = undefined;
        }
        return decodeSegment(s) === expected;
      }),
    );
  });
});

describe('clientErrorAnswer', () => {
  it('maps parser errors to 4xx answers, and anything unknown to 400', () => {
    expect(clientErrorAnswer('HPE_HEADER_OVERFLOW').status).toBe(431);
    expect(clientErrorAnswer('ERR_HTTP_REQUEST_TIMEOUT').status).toBe(408);
    fc.assert(fc.property(fc.option(fc.string(), { nil: undefined }), (code) => {
      const { status } = clientErrorAnswer(code);
      return status >= 400 && status < 500;
    }));
  });
});
