import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientFrame, jsonish } from '../testing/hostile-arbitraries.ts';
import { decodeFanout, encodeFanout } from '../state/redis-state.ts';
import { channelKind, dataObject, isValidChannelName, MAX_CHANNEL_NAME, parseClientMessage } from './messages.ts';

describe('inbound frame parsers (property)', () => {
  it('parseClientMessage never throws and returns only objects with a string event', () => {
    fc.assert(
      fc.property(fc.oneof(clientFrame, fc.string({ unit: 'binary' })), (text) => {
        const m = parseClientMessage(text);
        return m === undefined || (typeof m === 'object' && typeof m.event === 'string');
      }),
      { numRuns: 500 },
    );
  });

  it('dataObject never throws and always returns a non-null object', () => {
    fc.assert(
      fc.property(fc.oneof(jsonish, jsonish.map((v) => JSON.stringify(v)), fc.string()), (data) => {
        const o = dataObject(data);
        return typeof o === 'object' && o !== null;
      }),
    );
  });

  it('isValidChannelName accepts only 1-200 characters of the documented alphabet, for any value', () => {
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string({ maxLength: 250 })), (v) => {
        if (!isValidChannelName(v)) return true;
        expect(v.length).toBeGreaterThan(0);
        expect(v.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME);
        expect(v).toMatch(/^[A-Za-z0-9_\-=@,.;]+$/);
        expect(['public', 'private', 'presence']).toContain(channelKind(v));
        return true;
      }),
    );
  });
});

describe('fan-out wire format (property)', () => {
  it('decodeFanout(encodeFanout(m)) is m for every valid channel, and never throws on junk', () => {
    const channel = fc.stringMatching(/^[A-Za-z0-9_\-=@,.;]{1,50}$/);
    fc.assert(
      fc.property(channel, fc.string(), fc.option(fc.stringMatching(/^\d{1,10}\.\d{1,10}$/), { nil: undefined }), fc.nat(), (ch, frame, exclude, t) => {
        expect(decodeFanout(encodeFanout({ channel: ch, frame, exclude, t }))).toEqual({ channel: ch, frame, exclude, t });
      }),
    );
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      decodeFanout(s);
    }));
  });
});
