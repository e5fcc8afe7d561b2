/**
 * fast-check arbitraries for hostile client input, shared by the property tests (unit speed) and
 * the fuzz script that drives a running pod (fuzz/fuzz-server.ts). Each mixes well-formed protocol
 * pieces with the malformed ones that broke pods before: broken percent-encodings, wrong JSON
 * types, huge and negative numbers, oversize strings.
 */
import fc from 'fast-check';

const percentJunk = fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%C0%AF', '%FF', '%00', '%25', '%2F', '%E0%A4', '%F0%9F%98');
const plainSegment = fc.stringMatching(/^[A-Za-z0-9_\-=@,.;]{1,20}$/);
/** One path segment: valid, percent-garbage, unicode, or long. */
export const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: plainSegment },
  { weight: 3, arbitrary: fc.array(fc.oneof(plainSegment, percentJunk), { minLength: 1, maxLength: 4 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).map((s) => encodeURIComponent(s)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 6000 }).map((n) => 'a'.repeat(n)) },
);

const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 1e400, -1e400, 2 ** 53 + 1, Number.NaN));
const numberText = number.map(String);

/** A query string with Pusher's parameters given hostile values. */
export const query: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom('protocol', 'auth_key', 'auth_timestamp', 'auth_version', 'auth_signature', 'body_md5', 'info', 'filter_by_prefix', 'x'),
      fc.oneof(numberText, segment, fc.constant('')),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => (pairs.length === 0 ? '' : '?' + pairs.map(([k, v]) => `${k}=${v}`).join('&')));

/** JSON values of every type, nested a little, with protocol-looking keys. */
export const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 30 }),
    number.filter((n) => Number.isFinite(n)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('channel', 'auth', 'channel_data', 'user_id', 'user_info', 'event', 'data', 'name', 'channels', 'socket_id', 'batch', 'x'), tie('value'), { maxKeys: 5 }),
  ),
})).value;

const channelName = fc.oneof(
  fc.constantFrom('public-a', 'private-a', 'presence-a', '', '#bad', 'private-', 'presence-'),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: 150, max: 300 }).map((n) => 'c'.repeat(n)),
);
const eventName = fc.oneof(
  fc.constantFrom('pusher:subscribe', 'pusher:unsubscribe', 'pusher:ping', 'pusher:pong', 'pusher:signin', 'client-x', 'pusher_internal:member_added', 'anything'),
  fc.string({ maxLength: 12 }).map((s) => 'client-' + s),
  fc.integer({ min: 190, max: 400 }).map((n) => 'client-' + 'e'.repeat(n)),
);

/** One inbound Pusher frame (WebSocket message or fallback xhr_send entry), as text. */
export const clientFrame: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          event: fc.oneof({ weight: 5, arbitrary: eventName }, { weight: 1, arbitrary: jsonish }),
          channel: fc.oneof(channelName, jsonish),
          data: fc.oneof(
            jsonish,
            fc.record({ channel: channelName, auth: fc.oneof(fc.string({ maxLength: 80 }), jsonish), channel_data: fc.oneof(fc.string({ maxLength: 40 }), jsonish.map((v) => JSON.stringify(v))) }, { requiredKeys: [] }),
            jsonish.map((v) => JSON.stringify(v)),
          ),
        },
        { requiredKeys: [] },
      )
      .map((o) => JSON.stringify(o)),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
  { weight: 1, arbitrary: jsonish.map((v) => JSON.stringify(v)) },
);

/** A REST request body: JSON of any shape, event-shaped JSON with hostile fields, or not JSON. */
export const restBody: fc.Arbitrary<string> = fc.oneof(
  fc.record(
    {
      name: fc.oneof(fc.string({ maxLength: 20 }), jsonish, fc.constant('e'.repeat(201))),
      data: fc.oneof(fc.string({ maxLength: 20 }), jsonish, fc.constant('d'.repeat(11_000))),
      channel: fc.oneof(channelName, jsonish),
      channels: fc.oneof(fc.array(channelName, { maxLength: 120 }), jsonish),
      socket_id: fc.oneof(fc.constantFrom('1.1', '1.', '-1.-1', '99999999999999999999.1'), jsonish),
      batch: fc.oneof(fc.array(jsonish, { maxLength: 12 }), jsonish),
    },
    { requiredKeys: [] },
  ).map((o) => JSON.stringify(o)),
  jsonish.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 60 }),
);

const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH');

/** A request target on one of the pod's HTTP surfaces. */
export const restTarget: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.constant('1'), segment),
    fc.constantFrom('/events', '/batch_events', '/channels', '/channels/', '/users', ''),
    fc.option(segment, { nil: undefined }),
    fc.constantFrom('', '/users'),
    query,
  )
  .map(([id, route, ch, tail, q]) => `/apps/${id}${route}${route === '/channels/' ? (ch ?? '') + tail : ''}${q}`);

export const fallbackTarget: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(fc.constant('app-key'), segment), fc.oneof(fc.constant('123'), segment), segment, fc.constantFrom('xhr_streaming', 'xhr', 'xhr_send', 'other'), query)
  .map(([key, server, session, kind, q]) => `/pusher/app/${key}/${server}/${session}/${kind}${q}`);

export const otherTarget: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('/healthz', '/readyz', '/metrics', '/', '*', '//', '/../..', 'http://[::1/x', 'http://h/healthz'),
  fc.tuple(fc.constantFrom('/healthz', '/readyz', '/metrics', '/app', '/pusher'), segment, query).map(([a, b, q]) => `${a}/${b}${q}`),
);

const headerValue = fc.oneof(fc.stringMatching(/^[\x20-\x7e]{0,40}$/), fc.integer({ min: 1000, max: 20_000 }).map((n) => 'h'.repeat(n)), numberText);

/** A whole HTTP/1.1 request as bytes, sometimes broken at the syntax level. */
export const rawHttpRequest: fc.Arbitrary<string> = fc
  .record({
    method,
    target: fc.oneof(restTarget, fallbackTarget, otherTarget),
    headers: fc.array(fc.tuple(fc.constantFrom('Content-Type', 'X-Pusher-Key', 'Content-Length', 'Transfer-Encoding', 'Expect', 'X-Any'), headerValue), { maxLength: 4 }),
    body: fc.oneof(restBody, fc.array(clientFrame, { maxLength: 5 }).map((a) => JSON.stringify(a))),
    broken: fc.constantFrom('none', 'none', 'none', 'no-version', 'bare-lf', 'garbage-line'),
  })
  .map(({ method, target, headers, body, broken }) => {
    const lines = [broken === 'no-version' ? `${method} ${target}` : `${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
    const explicitLength = headers.some(([k]) => k === 'Content-Length' || k === 'Transfer-Encoding');
    for (const [k, v] of headers) lines.push(`${k}: ${v}`);
    if (!explicitLength) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    if (broken === 'garbage-line') lines.push('this is not a header');
    const eol = broken === 'bare-lf' ? '\n' : '\r\n';
    return `${lines.join(eol)}${eol}${eol}${body}`;
  });

/** A WebSocket upgrade request target: the app path with hostile keys and protocol values. */
export const upgradeTarget: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(fc.constant('app-key'), segment), query, fc.constantFrom('/app/', '/app/', '/apps/', '/pusher/app/', '/'))
  .map(([key, q, prefix]) => `${prefix}${key}${q}`);
