// Synthetic probes per transport and per deployment, and the webhook receiver.
export { startProbe, startProbes, probeRegistry } from './registry.ts';
export { startDeliveryProbe, PROBE_EVENT, type DeliveryProbeSpec } from './delivery-probe.ts';
export { startRestProbe, planRequest, type RestProbeSpec, type StartedRestProbe, type WireRecord, type WireCapture } from './rest-probe.ts';
export { startWebhookProbe, type WebhookProbeSpec } from './webhook-probe.ts';
export { startWebhookReceiver, type StartedWebhookReceiver, type WebhookReceiverOptions, type WebhookReceiverStats } from './webhook-receiver.ts';
export { webhookKey } from './webhook-key.ts';
export { expectedFingerprint, responseFingerprint } from './rest-fingerprint.ts';
export { ProbeTargetError, type ProbeContext, type ProbeTargets, type StartedProbe } from './probe.ts';
