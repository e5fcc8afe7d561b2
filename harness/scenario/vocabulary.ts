import { z } from 'zod';

// Shared words used by scenarios, the history and the checkers. They live upstream (here) so that the
// history and the verdicts can import them without the scenario layer ever importing back down.

/** How a client is connected. `ws` is the primary transport; the others are the HTTP fallback. */
export const TRANSPORTS = ['ws', 'xhr_streaming', 'xhr_polling', 'sockjs'] as const;
export type Transport = (typeof TRANSPORTS)[number];
export const transportSchema = z.enum(TRANSPORTS);

/** The HTTP fallback transports: what the 2021 reports' clients fell back to. */
export const FALLBACK_TRANSPORTS: readonly Transport[] = ['xhr_streaming', 'xhr_polling', 'sockjs'];

/** What a deployment serves. The edge routes each kind of traffic to the deployments with that role. */
export const ROLES = ['ws', 'fallback', 'rest'] as const;
export type Role = (typeof ROLES)[number];

/** Webhook events the receiver can expect (fallback-webhooks scenario). */
export const WEBHOOK_EVENTS = [
  'channel_occupied',
  'channel_vacated',
  'member_added',
  'member_removed',
  'client_event',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Every history event type; a scenario may point at one (detection faults, recovery starts). */
export const HISTORY_EVENT_TYPES = [
  'run.meta',
  'run.ended',
  'run.phase',
  'action.started',
  'action.applied',
  'action.failed',
  'connect.attempt',
  'connect.outcome',
  'connect.closed',
  'client.churned',
  'pod.sample',
  'k6.point',
  'k6.aggregate',
  'probe.sent',
  'probe.received',
  'probe.rejoined',
  'rest.request',
  'rest.response',
  'webhook.expected',
  'webhook.received',
  'limit.checked',
  'queue.checked',
  'memory.checked',
  'faults.state',
  'pod.final',
  'deploy.pod',
  'gate.checked',
  'rollback.decided',
  'action.healed',
  'liveness.restart',
  'rest.wire',
  'log.line',
] as const;
export type HistoryEventType = (typeof HISTORY_EVENT_TYPES)[number];

/** Kebab/snake ids used for deployments, SLOs, alerts, probes: safe in file names and CSS. */
export const idSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'expected a lowercase id (letters, digits, - and _), starting with a letter');
