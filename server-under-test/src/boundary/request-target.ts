/**
 * The request target (path and query) of every HTTP request and WebSocket upgrade, checked once at
 * the boundary: a target that does not parse, is too long, or carries a malformed percent-encoding
 * is the client's fault and answers 400/414, never an exception in a handler.
 */

/** Longest request target accepted; Pusher paths and signed queries are far shorter. */
export const MAX_TARGET_LENGTH = 4096;

export type TargetResult = { ok: true; url: URL } | { ok: false; status: 400 | 414; reason: string };

/** Parse `req.url` (origin-form or absolute-form). Never throws. */
export function parseTarget(raw: string | undefined): TargetResult {
  const target = raw ?? '/';
  if (target.length > MAX_TARGET_LENGTH) {
    return { ok: false, status: 414, reason: `Request target too long: limit is ${MAX_TARGET_LENGTH} characters` };
  }
  let url: URL;
  try {
    url = new URL(target, 'http://x');
  } catch {
    return { ok: false, status: 400, reason: 'Request target is not a valid URL' };
  }
  if (decodeSegment(url.pathname) === undefined) {
    return { ok: false, status: 400, reason: 'Malformed percent-encoding in the path' };
  }
  return { ok: true, url };
}

/** decodeURIComponent without the URIError: undefined for a malformed percent-encoding. */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
