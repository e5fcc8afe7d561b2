/**
 * Which request a REST response belongs to, judged from the response alone. Each request kind has
 * a distinct answer: a publish answers `{}` (sockudo: `{"ok":true}`; 413 with an error when oversized), a channel query
 * answers an object with `occupied`. A response whose fingerprint differs from its request's
 * expected one answered another request: the shifted responses of the 2020-01 report.
 */

export type RestRequestKind = 'publish' | 'channel-info';

export function expectedFingerprint(kind: RestRequestKind, valid: boolean): string {
  if (kind === 'channel-info') return '200 channel-info';
  return valid ? '200 published' : '413 too-large';
}

/** `<status> <shape>`: the shape says what kind of answer the body is. */
export function responseFingerprint(status: number, body: string): string {
  return `${status} ${bodyShape(status, body)}`;
}

function bodyShape(status: number, body: string): string {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return body.length === 0 ? 'empty' : 'not-json';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'other';
  const o = v as Record<string, unknown>;
  if ('occupied' in o) return 'channel-info';
  if (typeof o.error === 'string') return status === 413 || /too large/i.test(o.error) ? 'too-large' : 'error';
  // Pusher documents `{}`; sockudo answers `{"ok":true}`: both are a publish's answer, not a channel's.
  if (Object.keys(o).length === 0 || (Object.keys(o).length === 1 && o.ok === true)) return 'published';
  return 'other';
}
