/**
 * Where a client connects. Load and probes may only target this machine's loopback address: a
 * misconfigured scenario must never send load anywhere else.
 */

export const LOOPBACK_HOST = '127.0.0.1';

export interface Endpoint {
  port: number;
  /** Only 127.0.0.1 is accepted; defaults to it. */
  host?: string;
  /** Labels for the history when the target is known to be one deployment or pod. */
  deployment?: string;
  pod?: string;
}

export class NonLoopbackTargetError extends Error {
  readonly code = 'NON_LOOPBACK_TARGET';
  constructor(host: string) {
    super(`refusing to send traffic to ${JSON.stringify(host)}: load and probes target only ${LOOPBACK_HOST}`);
  }
}

export function assertLoopback(endpoint: Endpoint): void {
  const host = endpoint.host ?? LOOPBACK_HOST;
  if (host !== LOOPBACK_HOST) throw new NonLoopbackTargetError(host);
  if (!Number.isInteger(endpoint.port) || endpoint.port <= 0 || endpoint.port > 65535) {
    throw new RangeError(`invalid port ${endpoint.port} for ${host}`);
  }
}

export function httpBase(endpoint: Endpoint): string {
  assertLoopback(endpoint);
  return `http://${LOOPBACK_HOST}:${endpoint.port}`;
}

/** pusher-js's query: protocol 7, and a client name/version the server can log. */
export const CLIENT_QUERY = 'protocol=7&client=js&version=8.4.0&flash=false';

export function wsUrl(endpoint: Endpoint, key: string): string {
  assertLoopback(endpoint);
  return `ws://${LOOPBACK_HOST}:${endpoint.port}/app/${encodeURIComponent(key)}?${CLIENT_QUERY}`;
}

/** `/pusher/app/{key}/{server}/{session}` under which xhr_streaming, xhr and xhr_send live. */
export function fallbackSessionBase(endpoint: Endpoint, key: string, server: string, session: string): string {
  return `${httpBase(endpoint)}/pusher/app/${encodeURIComponent(key)}/${server}/${session}`;
}
