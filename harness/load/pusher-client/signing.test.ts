import { describe, expect, it } from 'vitest';
import Pusher from 'pusher';
import { authorizeChannel } from './auth.ts';
import { signQuery } from './rest-client.ts';
import { assertLoopback, NonLoopbackTargetError } from './endpoint.ts';

const app = { id: '3', key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' };

describe('local signing agrees with the pusher npm client', () => {
  it('private channel auth', () => {
    const pusher = new Pusher({ appId: app.id, key: app.key, secret: app.secret, host: '127.0.0.1' });
    expect(authorizeChannel(app, '1234.1234', 'private-foobar').auth).toBe(pusher.authorizeChannel('1234.1234', 'private-foobar').auth);
  });

  it('presence channel auth signs the exact channel_data sent', () => {
    const pusher = new Pusher({ appId: app.id, key: app.key, secret: app.secret, host: '127.0.0.1' });
    const mine = authorizeChannel(app, '1.2', 'presence-x', { userId: 'u1', userInfo: { n: 1 } });
    const theirs = pusher.authorizeChannel('1.2', 'presence-x', { user_id: 'u1', user_info: { n: 1 } });
    expect(mine).toEqual({ auth: theirs.auth, channelData: theirs.channel_data });
  });

  it('REST signature matches the worked example in the Pusher docs', () => {
    const body = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';
    const q = signQuery(app, 'POST', '/apps/3/events', {}, body, 1353088179);
    expect(q.body_md5).toBe('ec365a775a4cd0599faeb73354201b6f');
    expect(q.auth_signature).toBe('da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c');
  });
});

describe('loopback guard', () => {
  it('refuses any host but 127.0.0.1', () => {
    expect(() => assertLoopback({ host: 'example.com', port: 80 })).toThrow(NonLoopbackTargetError);
    expect(() => assertLoopback({ host: 'localhost', port: 80 })).toThrow(/only 127\.0\.0\.1/);
    expect(() => assertLoopback({ port: 6001 })).not.toThrow();
  });
});
