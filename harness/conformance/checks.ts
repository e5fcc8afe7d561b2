/** Every conformance check, in the order they run (one entry per check). */
import type { ConformanceCheck } from './check.ts';
import { channelChecks } from './checks-channels.ts';
import { fallbackCheck } from './checks-fallback.ts';
import { restChecks } from './checks-rest.ts';
import { fallbackWebhookCheck, webhookChecks } from './checks-webhooks.ts';

export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  ...channelChecks,
  ...restChecks,
  ...webhookChecks,
  fallbackCheck('xhr_streaming'),
  fallbackCheck('xhr_polling'),
  fallbackWebhookCheck('xhr_streaming'),
  fallbackWebhookCheck('xhr_polling'),
];
