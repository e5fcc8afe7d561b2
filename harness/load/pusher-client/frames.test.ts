import { describe, expect, it } from 'vitest';
import { dataObject, parseError, parseEstablished, parsePusherFrame, subscribeFrame } from './frames.ts';

describe('Pusher frames', () => {
  it('reads connection_established with its socket id and activity timeout', () => {
    const f = parsePusherFrame(JSON.stringify({ event: 'pusher:connection_established', data: JSON.stringify({ socket_id: '1.2', activity_timeout: 30 }) }));
    expect(f && parseEstablished(f)).toEqual({ socketId: '1.2', activityTimeoutS: 30 });
  });

  it('reads pusher:error whose data is an object, not a string', () => {
    const f = parsePusherFrame('{"event":"pusher:error","data":{"code":4100,"message":"Over capacity"}}');
    expect(f && parseError(f)).toEqual({ code: 4100, message: 'Over capacity' });
  });

  it('decodes JSON-in-a-string data and tolerates plain strings', () => {
    expect(dataObject({ event: 'e', data: '{"seq":3}' })).toEqual({ seq: 3 });
    expect(dataObject({ event: 'e', data: 'plain' })).toEqual({});
  });

  it('rejects text that is not a frame', () => {
    expect(parsePusherFrame('nope')).toBeUndefined();
    expect(parsePusherFrame('[1]')).toBeUndefined();
    expect(parsePusherFrame('{"data":1}')).toBeUndefined();
  });

  it('writes subscribe frames with auth and channel_data only when given', () => {
    expect(JSON.parse(subscribeFrame('a'))).toEqual({ event: 'pusher:subscribe', data: { channel: 'a' } });
    expect(JSON.parse(subscribeFrame('presence-a', 'k:sig', '{"user_id":"u"}'))).toEqual({
      event: 'pusher:subscribe',
      data: { channel: 'presence-a', auth: 'k:sig', channel_data: '{"user_id":"u"}' },
    });
  });
});
