import { describe, expect, it } from 'vitest';
import { channelFor } from './webhook-probe.ts';
import { webhookKey } from './webhook-key.ts';

describe('webhook probe channels', () => {
  it('member events need presence; client events alone get a private channel', () => {
    expect(channelFor({ id: 'wh', events: ['member_added'] }, 1)).toBe('presence-wh-wh-1');
    expect(channelFor({ id: 'wh', events: ['client_event', 'channel_occupied'] }, 2)).toBe('private-wh-wh-2');
  });

  it('keys are unique per activity, so an expected webhook matches exactly one received', () => {
    const keys = new Set([1, 2, 3].flatMap((n) => ['channel_occupied', 'member_added'].map((e) => webhookKey(e, channelFor({ id: 'x', events: ['member_added'] }, n)))));
    expect(keys.size).toBe(6);
  });
});
