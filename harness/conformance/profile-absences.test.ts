import { describe, expect, it } from 'vitest';
import { sockudoProfile } from '../servers/sockudo.ts';
import { sutProfile } from '../servers/sut.ts';
import { skipReason } from './check.ts';
import { CONFORMANCE_CHECKS } from './checks.ts';
import { profileAbsences } from './profile-absences.ts';

describe('profileAbsences', () => {
  it('our server lacks nothing: every check applies', () => {
    const absent = profileAbsences('sut', sutProfile.capabilities);
    expect(absent).toEqual({});
    expect(CONFORMANCE_CHECKS.filter((c) => skipReason(c, { absent }) !== undefined)).toEqual([]);
  });

  it('sockudo: the four fallback checks are skipped because it has no HTTP fallback; the rest apply', () => {
    const absent = profileAbsences('sockudo', sockudoProfile.capabilities);
    const skipped = CONFORMANCE_CHECKS.map((c) => [c.id, skipReason(c, { absent })] as const).filter(([, why]) => why !== undefined);
    expect(skipped.map(([id]) => id)).toEqual(['fallback.xhr_streaming', 'fallback.xhr_polling', 'webhooks.xhr_streaming-occupied', 'webhooks.xhr_polling-occupied']);
    expect(skipped[1]![1]).toBe("needs xhr_polling: sockudo has no xhr_polling transport (its profile's transports: ws)");
    expect(skipped[3]![1]).toBe("needs webhooks-over-xhr_polling: sockudo has no xhr_polling transport (its profile's transports: ws)");
  });

  it('a transport without webhooks skips only that transport\'s webhook check; no webhooks at all skips every webhook check', () => {
    expect(profileAbsences('x', { transports: ['ws', 'xhr_polling'], webhooks: ['ws'] })).toEqual({
      xhr_streaming: "x has no xhr_streaming transport (its profile's transports: ws, xhr_polling)",
      'webhooks-over-xhr_streaming': "x has no xhr_streaming transport (its profile's transports: ws, xhr_polling)",
      'webhooks-over-xhr_polling': "x sends no webhooks for xhr_polling clients (its profile's webhook transports: ws)",
    });
    const none = profileAbsences('y', { transports: ['ws'], webhooks: [] });
    const webhookChecks = CONFORMANCE_CHECKS.filter((c) => c.id.startsWith('webhooks.'));
    expect(webhookChecks).toHaveLength(5);
    for (const c of webhookChecks) expect(skipReason(c, { absent: none })).toMatch(/sends no webhooks for WebSocket clients|has no xhr_/);
  });
});
