import { describe, expect, it } from 'vitest';
import { ConformanceInputError, loopbackPortOf, PUSHER_PAYLOAD_LIMIT_BYTES, urlTarget } from './target.ts';

const creds = { appId: '1', key: 'k', secret: 's' };

describe('loopbackPortOf', () => {
  it('takes ws:// and http:// bases on 127.0.0.1 or localhost', () => {
    expect(loopbackPortOf('ws://127.0.0.1:6001')).toBe(6001);
    expect(loopbackPortOf('http://localhost:7000/')).toBe(7000);
    expect(loopbackPortOf('http://127.0.0.1')).toBe(80);
  });

  it.each([
    ['ws://10.0.0.1:6001', /outside 127\.0\.0\.0\/8/],
    ['ws://example.com:6001', /outside 127\.0\.0\.0\/8/],
    ['ws://127.0.0.999:6001', /is not a URL/],
    ['ws://127.1.2.3:6001', /connect to 127\.0\.0\.1 only/],
    ['ws://127.0.0.2:6001', /connect to 127\.0\.0\.1 only/],
    ['wss://127.0.0.1:6001', /only ws:\/\/ and http:\/\//],
    ['ws://127.0.0.1:6001/app/key', /base only/],
    ['127.0.0.1:6001', /is not a URL: give e\.g\. ws:\/\/127\.0\.0\.1:6001/],
    ['not a url', /is not a URL/],
  ])('refuses %s', (url, why) => {
    expect(() => loopbackPortOf(url)).toThrow(why);
    expect(() => loopbackPortOf(url)).toThrow(ConformanceInputError);
  });
});

describe('urlTarget', () => {
  it('marks the transports left out and a missing webhook port as absent, each with its reason', () => {
    const t = urlTarget({ url: 'ws://127.0.0.1:6001', ...creds, transports: ['ws', 'xhr_polling'] });
    expect(t.port).toBe(6001);
    expect(t.payloadLimitBytes).toBe(PUSHER_PAYLOAD_LIMIT_BYTES);
    expect(Object.keys(t.absent).sort()).toEqual(['client-event-webhooks', 'webhooks', 'webhooks-over-xhr_polling', 'webhooks-over-xhr_streaming', 'xhr_streaming']);
    expect(t.absent['webhooks-over-xhr_streaming']).toBe('--transports leaves out xhr_streaming');
    expect(t.absent.xhr_streaming).toBe('--transports leaves out xhr_streaming');
    expect(t.absent.webhooks).toMatch(/--webhook-port/);
  });

  it('with every transport and a webhook port nothing is absent', () => {
    const t = urlTarget({ url: 'http://127.0.0.1:6001', ...creds, transports: ['ws', 'xhr_streaming', 'xhr_polling'], webhookPort: 7001, payloadLimitBytes: 2048 });
    expect(t.absent).toEqual({});
    expect(t.webhookPort).toBe(7001);
    expect(t.payloadLimitBytes).toBe(2048);
  });

  it('refuses an unknown transport, a list without ws, and empty credentials', () => {
    expect(() => urlTarget({ url: 'ws://127.0.0.1:1', ...creds, transports: ['ws', 'sockjs'] })).toThrow(/unknown sockjs/);
    expect(() => urlTarget({ url: 'ws://127.0.0.1:1', ...creds, transports: ['xhr_polling'] })).toThrow(/must include ws/);
    expect(() => urlTarget({ url: 'ws://127.0.0.1:1', ...creds, key: '', transports: ['ws'] })).toThrow(/app\.key/);
  });
});
