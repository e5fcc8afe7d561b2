import { z } from 'zod';
import { transportSchema } from '../scenario/vocabulary.ts';

/**
 * What a server under test can do, as far as the scenarios ask: a profile declares it
 * (harness/servers/), the plan compares it with what a variant needs before anything starts.
 */
export const ROOT_CAUSE_SWITCHES = [
  // 2020-01: a 4XX response written twice on keep-alive connections.
  'KEEPALIVE_DOUBLE_4XX',
  // 2022-08: the webhook stream writes of the ws and the fallback roles.
  'WEBHOOK_STREAM_ENABLED',
  'FALLBACK_STREAM_WRITES',
  // 2021-09: how our server refuses over its cap (a dropped socket or close 4100).
  'OVER_CAP_MODE',
  // 2021-12: bytes held per open connection (models ingress buffers).
  'RETAINED_BYTES_PER_CONNECTION',
] as const;
export type RootCauseSwitch = (typeof ROOT_CAUSE_SWITCHES)[number];

export const serverCapabilitiesSchema = z.strictObject({
  /** Client transports the server speaks; anything but `ws` is the HTTP fallback. */
  transports: z.array(transportSchema).min(1),
  /** Transports whose connections cause webhooks (channel_occupied, member_added, ...). */
  webhooks: z.array(transportSchema),
  /** A per-pod cap on open connections that the harness can set. */
  connectionCap: z.boolean(),
  /** Several pods share channels through Redis. */
  redisAdapter: z.boolean(),
  /** Our server's root-cause switches this server implements (normally none: they are our code's defects). */
  switches: z.array(z.enum(ROOT_CAUSE_SWITCHES)),
  /** Is our server: runs its app versions, config files (appVersion other than v1, deployments[].config) and settings (deployments[].env). */
  ourVersions: z.boolean(),
  /**
   * The pod reports its live heap after a forced full collection (our server's LIVE_HEAP_SAMPLE_MS,
   * the `pod.heapLiveMb` gauge that memory-under-churn judges). Without it those SLOs are left out.
   */
  liveHeap: z.boolean().default(false),
  /** The pod's readiness modes (deployments[].readiness.mode). */
  readinessModes: z.array(z.enum(['shallow', 'deep'])),
});
export type ServerCapabilities = z.infer<typeof serverCapabilitiesSchema>;
