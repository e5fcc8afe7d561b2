/** What a server profile's capabilities leave out, as conformance needs with the reason each is absent. */
import type { ServerCapabilities } from '../plan/server-capabilities.ts';
import { FALLBACK_TRANSPORTS, fillWebhookAbsences, webhooksOver, type ConformanceTarget } from './target.ts';

export function profileAbsences(server: string, caps: Pick<ServerCapabilities, 'transports' | 'webhooks'>): ConformanceTarget['absent'] {
  const absent: ConformanceTarget['absent'] = {};
  for (const t of FALLBACK_TRANSPORTS) {
    if (!caps.transports.includes(t)) absent[t] = `${server} has no ${t} transport (its profile's transports: ${caps.transports.join(', ')})`;
    else if (!caps.webhooks.includes(t)) absent[webhooksOver(t)] = `${server} sends no webhooks for ${t} clients (its profile's webhook transports: ${caps.webhooks.join(', ') || 'none'})`;
  }
  if (!caps.webhooks.includes('ws')) absent.webhooks = `${server} sends no webhooks for WebSocket clients (its profile's webhook transports: ${caps.webhooks.join(', ') || 'none'})`;
  return fillWebhookAbsences(absent);
}
