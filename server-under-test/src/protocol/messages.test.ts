import { describe, expect, it } from 'vitest';
import { channelKind, connectionEstablished, isValidChannelName, newSocketId, parseClientMessage, presenceData, SOCKET_ID_RE } from './messages.ts';

describe('protocol messages', () => {
  it('socket ids are digits.digits', () => {
    for (let i = 0; i < 100; i++) expect(newSocketId()).toMatch(SOCKET_ID_RE);
  });
  it('connection_established carries data as a JSON string with a non-zero activity_timeout', () => {
    const f = JSON.parse(connectionEstablished('1.2', 120)) as { event: string; data: string };
    expect(f.event).toBe('pusher:connection_established');
    expect(JSON.parse(f.data)).toEqual({ socket_id: '1.2', activity_timeout: 120 });
  });
  it('classifies and validates channel names', () => {
    expect(channelKind('presence-a')).toBe('presence');
    expect(channelKind('private-a')).toBe('private');
    expect(channelKind('private-encrypted-a')).toBe('private');
    expect(channelKind('a')).toBe('public');
    expect(isValidChannelName('my-channel_1=@,.;')).toBe(true);
    expect(isValidChannelName('bad channel')).toBe(false);
    expect(isValidChannelName('')).toBe(false);
    expect(isValidChannelName('x'.repeat(201))).toBe(false);
  });
  it('presence data has ids, hash and count, one entry per user', () => {
    expect(presenceData([{ userId: '1', userInfo: { n: 'a' } }, { userId: '2', userInfo: undefined }])).toEqual({
      presence: { ids: ['1', '2'], hash: { '1': { n: 'a' }, '2': null }, count: 2 },
    });
  });
  it('rejects non-Pusher frames', () => {
    expect(parseClientMessage('nope')).toBeUndefined();
    expect(parseClientMessage('{"x":1}')).toBeUndefined();
    expect(parseClientMessage('{"event":"pusher:ping","data":{}}')?.event).toBe('pusher:ping');
  });
});
