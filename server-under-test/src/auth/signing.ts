/**
 * Pusher Channels signatures (public protocol documentation):
 * - channel authorization: `key:HMAC_SHA256_hex(secret, "socket_id:channel[:channel_data]")`
 * - REST request signing: HMAC over "METHOD\nPATH\nsorted lower-cased query without auth_signature"
 * - webhooks: X-Pusher-Signature = HMAC_SHA256_hex(secret, raw body)
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function hmacHex(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data, 'utf8').digest('hex');
}

export function md5Hex(body: string | Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

/** Constant-time comparison of two hex strings (false on length mismatch). */
export function safeEqualHex(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function channelAuthString(key: string, secret: string, socketId: string, channel: string, channelData?: string): string {
  const toSign = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  return `${key}:${hmacHex(secret, toSign)}`;
}

export function verifyChannelAuth(
  key: string,
  secret: string,
  socketId: string,
  channel: string,
  auth: unknown,
  channelData?: string,
): boolean {
  if (typeof auth !== 'string') return false;
  return safeEqualHex(auth, channelAuthString(key, secret, socketId, channel, channelData));
}

/** The string Pusher signs for REST requests. `query` excludes auth_signature. */
export function restStringToSign(method: string, path: string, query: Record<string, string>): string {
  const pairs = Object.entries(query)
    .filter(([k]) => k !== 'auth_signature')
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}\n${path}\n${pairs}`;
}

export function restSignature(secret: string, method: string, path: string, query: Record<string, string>): string {
  return hmacHex(secret, restStringToSign(method, path, query));
}

export type RestAuthResult = { ok: true } | { ok: false; status: 401 | 400; reason: string };

export interface RestAuthInput {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Buffer;
  key: string;
  secret: string;
  nowSeconds: number;
  /** Allowed clock skew; the docs say 600 s. */
  maxSkewSeconds?: number;
}

/** Verify a signed REST request the way Pusher documents it. */
export function verifyRestRequest(input: RestAuthInput): RestAuthResult {
  const { query } = input;
  const skew = input.maxSkewSeconds ?? 600;
  if (!query.auth_key || !query.auth_timestamp || !query.auth_signature) {
    return { ok: false, status: 401, reason: 'Missing auth_key, auth_timestamp or auth_signature' };
  }
  if (query.auth_key !== input.key) return { ok: false, status: 401, reason: 'Unknown auth_key' };
  if (query.auth_version !== undefined && query.auth_version !== '1.0') {
    return { ok: false, status: 401, reason: 'Unsupported auth_version (expected 1.0)' };
  }
  const ts = Number(query.auth_timestamp);
  if (!Number.isInteger(ts) || Math.abs(input.nowSeconds - ts) > skew) {
    return { ok: false, status: 401, reason: `Timestamp expired: auth_timestamp must be within ${skew} s of server time` };
  }
  if (input.body.length > 0) {
    if (query.body_md5 !== md5Hex(input.body)) return { ok: false, status: 401, reason: 'body_md5 does not match the body' };
  }
  const expected = restSignature(input.secret, input.method, input.path, query);
  if (!safeEqualHex(query.auth_signature, expected)) {
    return { ok: false, status: 401, reason: 'Invalid signature: expected HMAC SHA256 hex digest of the request' };
  }
  return { ok: true };
}

export function webhookSignature(secret: string, body: string): string {
  return hmacHex(secret, body);
}
