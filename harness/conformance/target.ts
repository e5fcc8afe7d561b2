/**
 * What `harness conformance` checks: one server reachable on 127.0.0.1 (WebSocket, fallback and
 * REST on one port, as the Pusher protocol has them), its app credentials, and what it lacks, each
 * with the reason a check that needs it is skipped.
 */
import { z } from 'zod';
import { LOOPBACK_HOST } from '../load/pusher-client/index.ts';

/** The HTTP fallback transports of the Pusher protocol (pusher-js's xhr_streaming and xhr_polling). */
export const FALLBACK_TRANSPORTS = ['xhr_streaming', 'xhr_polling'] as const;
export type FallbackTransport = (typeof FALLBACK_TRANSPORTS)[number];

/** Something a check may need that a server may not have. */
export const NEEDS = ['xhr_streaming', 'xhr_polling', 'webhooks', 'client-event-webhooks', 'webhooks-over-xhr_streaming', 'webhooks-over-xhr_polling'] as const;
export type Need = (typeof NEEDS)[number];

export const webhooksOver = (t: FallbackTransport): Need => `webhooks-over-${t}`;

export const conformanceTargetSchema = z.object({
  /** `sut`, `sockudo`, or `url` when given by address. */
  server: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  app: z.object({ id: z.string().min(1), key: z.string().min(1), secret: z.string().min(1) }),
  /** Largest event data the REST API accepts, in bytes: the keep-alive check sends more than this. */
  payloadLimitBytes: z.number().int().positive(),
  /** Port of the webhook receiver the server posts to; absent: the server has no webhook URL of ours. */
  webhookPort: z.number().int().min(1).max(65535).optional(),
  /** Each need the server does not meet, and why (shown on the skipped check). */
  absent: z.partialRecord(z.enum(NEEDS), z.string().min(1)),
});
export type ConformanceTarget = z.infer<typeof conformanceTargetSchema>;

/** Pusher's documented limit on event data (10 KB). */
export const PUSHER_PAYLOAD_LIMIT_BYTES = 10 * 1024;

export class ConformanceInputError extends Error {
  readonly code = 'CONFORMANCE_INPUT';
}

const LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The port of a `ws://`, `http://` (or `localhost`) base URL on 127.0.0.0/8. Anything else is
 * refused before a socket opens: conformance traffic stays on this machine.
 */
export function loopbackPortOf(url: string): number {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConformanceInputError(`--url ${JSON.stringify(url)} is not a URL: give e.g. ws://127.0.0.1:6001 or http://127.0.0.1:6001`);
  }
  if (!['ws:', 'http:'].includes(u.protocol)) throw new ConformanceInputError(`--url ${url}: only ws:// and http:// are supported (no TLS on the loopback address)`);
  const host = u.hostname === 'localhost' ? LOOPBACK_HOST : u.hostname;
  const m = LOOPBACK.exec(host);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) throw new ConformanceInputError(`--url ${url}: refusing a host outside 127.0.0.0/8; conformance traffic stays on this machine`);
  if (host !== LOOPBACK_HOST) throw new ConformanceInputError(`--url ${url}: the clients connect to ${LOOPBACK_HOST} only; listen there (or use localhost)`);
  if (u.pathname !== '/' && u.pathname !== '') throw new ConformanceInputError(`--url ${url}: give the base only (no path); the checks add /app/<key> and /apps/<id>/...`);
  return Number(u.port || 80);
}

export interface UrlTargetInput {
  url: string;
  appId: string;
  key: string;
  secret: string;
  /** Transports the server has, from `--transports`. */
  transports: readonly string[];
  webhookPort?: number;
  payloadLimitBytes?: number;
}

const TRANSPORT_NAMES = ['ws', 'xhr_streaming', 'xhr_polling'] as const;

/** A target given by address: what it lacks comes from the options, since nothing else says. */
export function urlTarget(input: UrlTargetInput): ConformanceTarget {
  const port = loopbackPortOf(input.url);
  const unknown = input.transports.filter((t) => !(TRANSPORT_NAMES as readonly string[]).includes(t));
  if (unknown.length > 0) throw new ConformanceInputError(`--transports: unknown ${unknown.join(', ')}; choose from ${TRANSPORT_NAMES.join(', ')}`);
  if (!input.transports.includes('ws')) throw new ConformanceInputError('--transports must include ws: every check but the fallback ones runs over WebSocket');
  const absent: ConformanceTarget['absent'] = {};
  for (const t of FALLBACK_TRANSPORTS) if (!input.transports.includes(t)) absent[t] = `--transports leaves out ${t}`;
  if (input.webhookPort === undefined) absent.webhooks = 'no --webhook-port: the receiver needs the port the server posts its webhooks to';
  fillWebhookAbsences(absent);
  const parsed = conformanceTargetSchema.safeParse({
    server: 'url',
    port,
    app: { id: input.appId, key: input.key, secret: input.secret },
    payloadLimitBytes: input.payloadLimitBytes ?? PUSHER_PAYLOAD_LIMIT_BYTES,
    webhookPort: input.webhookPort,
    absent,
  });
  if (!parsed.success) throw new ConformanceInputError(`invalid target: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * The needs that follow from others: client_event webhooks need webhooks; webhooks of a fallback
 * client need webhooks and that transport. A reason already set (a server that has webhooks but
 * not for one transport) is kept.
 */
export function fillWebhookAbsences(absent: ConformanceTarget['absent']): ConformanceTarget['absent'] {
  if (absent.webhooks) absent['client-event-webhooks'] ??= absent.webhooks;
  for (const t of FALLBACK_TRANSPORTS) {
    const why = absent[t] ?? absent.webhooks;
    if (why) absent[webhooksOver(t)] ??= why;
  }
  return absent;
}
