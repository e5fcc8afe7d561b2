/**
 * Delivery probe: subscribers on one transport (pinned to a deployment's pod, or through the edge)
 * and a publisher on the REST API sending numbered messages at a fixed rate. It records
 * probe.sent / probe.received only; lost, duplicated and reordered are judged from the history.
 */
import type { Probe } from '../scenario/schema.ts';
import { CLIENT_TRANSPORTS, dataObject, RestClient, type ClientTransport } from '../load/pusher-client/index.ts';
import { runTicker, sleep } from '../load/timing.ts';
import { ProbeSubscriber } from './probe-subscriber.ts';
import { ProbeTargetError, type ProbeContext, type StartedProbe } from './probe.ts';

export type DeliveryProbeSpec = Extract<Probe, { kind: 'delivery' }>;

export const PROBE_EVENT = 'probe-message';
/** Publishes waiting for an answer beyond this are skipped (and not recorded as sent). */
const MAX_IN_FLIGHT = 20;
/** How long the publisher waits for the first subscriptions before it starts anyway. */
const READY_WAIT_MS = 5000;
/** On stop, how long the last messages get to arrive before subscribers close (else: lost). */
const DRAIN_MS = 2000;
/** Before a rejoin, how long messages already published get to arrive. */
const REJOIN_SETTLE_MS = 1000;

export function probeTransport(transport: string): ClientTransport {
  if (!(CLIENT_TRANSPORTS as readonly string[]).includes(transport)) {
    throw new ProbeTargetError(`probe transport ${transport} is not served by the server under test; use one of ${CLIENT_TRANSPORTS.join(', ')}`);
  }
  return transport as ClientTransport;
}

export function startDeliveryProbe(spec: DeliveryProbeSpec, ctx: ProbeContext): StartedProbe {
  const transport = probeTransport(spec.transport);
  const { history } = ctx;
  const abort = new AbortController();
  const deadline = performance.now() + ctx.maxDurationS * 1000;
  const channel = `probe-${spec.id}`;
  const where = spec.deployment !== undefined ? { deployment: spec.deployment } : {};

  const highest: number[] = Array.from({ length: spec.subscribers }, () => -1);
  const subscribers = Array.from(
    { length: spec.subscribers },
    (_, i) =>
      new ProbeSubscriber(ctx, {
        client: `${spec.id}/sub-${i + 1}`,
        transport,
        deployment: spec.deployment,
        channel,
        signal: abort.signal,
        deadline,
        onFrame: (f, endpoint) => {
          if (f.event !== PROBE_EVENT || f.channel !== channel) return;
          const d = dataObject(f);
          if (typeof d.seq !== 'number' || typeof d.t !== 'number') return;
          highest[i] = Math.max(highest[i] ?? -1, d.seq);
          history.record({
            type: 'probe.received',
            probe: spec.id,
            transport,
            ...(endpoint.deployment !== undefined ? { deployment: endpoint.deployment } : {}),
            ...(endpoint.pod !== undefined ? { pod: endpoint.pod } : {}),
            seq: d.seq,
            latencyMs: Math.max(0, history.now() - d.t),
            subscriber: `sub-${i + 1}`,
          });
        },
      }),
  );

  const rest = new RestClient(ctx.targets.rest ?? ctx.targets.edge, ctx.app, { keepAlive: true, maxSockets: 1 });
  let inFlight = 0;
  let seq = 0;
  /** Set while subscribers rejoin: nothing is published, so nothing sent falls in a gap. */
  let paused = false;
  const publisher = (async () => {
    const readyBy = performance.now() + READY_WAIT_MS;
    while (!abort.signal.aborted && !subscribers.every((s) => s.ready) && performance.now() < readyBy) await sleep(25, abort.signal);
    await runTicker({
      ratePerS: spec.ratePerS,
      maxDurationMs: deadline - performance.now(),
      signal: abort.signal,
      onTick: () => {
        if (paused || inFlight >= MAX_IN_FLIGHT) return;
        const n = seq++;
        history.record({ type: 'probe.sent', probe: spec.id, transport, ...where, seq: n });
        inFlight++;
        // One keep-alive socket: publishes reach the server in seq order.
        rest
          .publish([channel], PROBE_EVENT, JSON.stringify({ seq: n, t: history.now() }))
          .catch(() => undefined)
          .finally(() => inFlight--);
      },
    });
  })();

  const rejoins = spec.rejoinEveryS === undefined ? Promise.resolve() : rejoinLoop(spec.rejoinEveryS * 1000);
  async function rejoinLoop(everyMs: number): Promise<void> {
    while (!abort.signal.aborted && performance.now() < deadline) {
      await sleep(everyMs, abort.signal);
      if (abort.signal.aborted) return;
      paused = true;
      // Every message already published has reached each ready subscriber (or 1 s went by) before it leaves.
      const settledBy = performance.now() + REJOIN_SETTLE_MS;
      while (performance.now() < settledBy && (inFlight > 0 || highest.some((h, i) => h < seq - 1 && subscribers[i]?.ready))) await sleep(10);
      await Promise.all(
        subscribers.map(async (sub, i) => {
          if (!sub.ready) return;
          const ok = await sub.rejoin();
          history.record({ type: 'probe.rejoined', probe: spec.id, transport, ...where, subscriber: `sub-${i + 1}`, ok });
        }),
      );
      paused = false;
    }
  }

  return {
    id: spec.id,
    kind: 'delivery',
    stop: async () => {
      abort.abort();
      await publisher;
      await rejoins;
      const drainBy = performance.now() + DRAIN_MS;
      while (performance.now() < drainBy && (inFlight > 0 || highest.some((h, i) => h < seq - 1 && subscribers[i]?.ready))) await sleep(25);
      for (const s of subscribers) s.close();
      await Promise.all(subscribers.map((s) => s.done));
      rest.close();
    },
  };
}
