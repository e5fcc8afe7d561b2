/**
 * Webhook probe: at a fixed rate, a fresh client on one transport joins a fresh channel, sends a
 * client event, and leaves, which makes the server emit channel_occupied, member_added,
 * client_event, member_removed and channel_vacated. Each asked-for event is recorded as
 * webhook.expected once the server has acted on it; the receiver records what arrives.
 */
import type { Probe } from '../scenario/schema.ts';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../scenario/vocabulary.ts';
import { webhookProbeChannel } from '../history/webhook-channel.ts';
import { connectRecorded, recordNoTarget } from '../load/recorded-connect.ts';
import { runTicker, sleep } from '../load/timing.ts';
import type { PusherConnection } from '../load/pusher-client/index.ts';
import { probeTransport } from './delivery-probe.ts';
import { endpointFor, type ProbeContext, type StartedProbe } from './probe.ts';
import { webhookKey } from './webhook-key.ts';

export type WebhookProbeSpec = Extract<Probe, { kind: 'webhook' }>;

/** Activities still running beyond this are skipped: a stuck transport must not pile clients up. */
const MAX_CONCURRENT = 5;
/** Time between the client event and leaving, so the event is handled before the unsubscribe. */
const HOLD_MS = 50;

/** How long a probe waits for its frames' sends to be answered before judging whether they arrived. */
const SEND_SETTLE_MS = 1000;

/**
 * Whether what was sent since `refusedBefore` reached the server: the connection is still open and
 * no send was refused. A send still unanswered after SEND_SETTLE_MS counts as reached (owed): a
 * healthy pod answers at once, so a slow one must not excuse a missing webhook.
 */
async function reachedServer(conn: PusherConnection, refusedBefore: number, signal: AbortSignal): Promise<boolean> {
  for (let waited = 0; !conn.sendsSettled && waited < SEND_SETTLE_MS && !signal.aborted; waited += 10) await sleep(10, signal);
  return conn.isOpen && conn.refusedSends === refusedBefore;
}

/** member_* need a presence channel; client events need private or presence. */
export function channelFor(spec: Pick<WebhookProbeSpec, 'id' | 'events'>, n: number): string {
  const presence = spec.events.includes('member_added') || spec.events.includes('member_removed');
  return webhookProbeChannel(spec.id, n, presence);
}

export function startWebhookProbe(spec: WebhookProbeSpec, ctx: ProbeContext): StartedProbe {
  const transport = probeTransport(spec.transport);
  const { history } = ctx;
  const wants = new Set<WebhookEvent>(spec.events);
  const abort = new AbortController();
  const open = new Set<PusherConnection>();
  const running = new Set<Promise<void>>();

  /**
   * Records what the activity caused. A watched event is owed; any other event the server emits for
   * it (or one the activity may have caused before it was cut short) is explained, not owed, so that
   * only a webhook nothing caused counts as stray.
   */
  const expect = (event: WebhookEvent, channel: string, deployment: string | undefined, recorded: Set<WebhookEvent>, owed = true): void => {
    if (recorded.has(event)) return;
    recorded.add(event);
    const key = webhookKey(event, channel);
    const owes = owed && wants.has(event);
    history.record({ type: 'webhook.expected', key, transport, event, channel, probe: spec.id, ...(deployment !== undefined ? { deployment } : {}), ...(owes ? {} : { owed: false }) });
  };

  const activity = async (n: number): Promise<void> => {
    const client = `${spec.id}/wh-${n}`;
    const endpoint = endpointFor(ctx.targets, spec.deployment);
    if (!endpoint) return recordNoTarget(history, { client, source: 'probe' }, transport, spec.deployment ?? '');
    let conn: PusherConnection;
    try {
      conn = await connectRecorded(history, { client, source: 'probe' }, { endpoint, app: ctx.app, transport, timeoutMs: ctx.connectTimeoutMs ?? 5000 });
    } catch {
      return; // the failed connect is in the history; nothing was triggered, nothing is expected
    }
    open.add(conn);
    const channel = channelFor(spec, n);
    const dep = endpoint.deployment;
    const presence = channel.startsWith('presence-');
    const recorded = new Set<WebhookEvent>();
    try {
      await conn.subscribe(channel, { userId: `probe-user-${n}` });
      expect('channel_occupied', channel, dep, recorded);
      if (presence) expect('member_added', channel, dep, recorded);
      const refusedBeforeEvent = conn.refusedSends;
      if (wants.has('client_event')) conn.trigger(channel, 'client-probe', { n });
      await sleep(HOLD_MS, abort.signal);
      // A client event is owed a webhook only if it reached the server: a session the server cut at
      // that instant, or a send answered 404 by a pod that never held the session (a fallback session
      // re-routed by a weight shift), never carried it.
      if (wants.has('client_event')) expect('client_event', channel, dep, recorded, await reachedServer(conn, refusedBeforeEvent, abort.signal));
      // Leave explicitly: a fallback session would otherwise linger until the server times it out.
      const refusedBeforeLeave = conn.refusedSends;
      conn.unsubscribe(channel);
      // Likewise the leave: refused, the pod that holds the session only learns of it when the session
      // times out (a poll's 25 s plus 5 s), so member_removed is explained then, not owed.
      if (presence) expect('member_removed', channel, dep, recorded, await reachedServer(conn, refusedBeforeLeave, abort.signal));
      expect('channel_vacated', channel, dep, recorded);
      await sleep(HOLD_MS, abort.signal);
    } catch {
      // Subscription refused or connection lost (the connect.closed event tells the story): the
      // server may still have acted on part of it, so each webhook it could emit is explained.
      for (const event of WEBHOOK_EVENTS) {
        if ((event === 'member_added' || event === 'member_removed') && !presence) continue;
        if (event === 'client_event' && !wants.has('client_event')) continue;
        expect(event, channel, dep, recorded, false);
      }
    } finally {
      conn.close();
      await conn.closed;
      open.delete(conn);
    }
  };

  let count = 0;
  const loop = runTicker({
    ratePerS: spec.ratePerS,
    maxDurationMs: ctx.maxDurationS * 1000,
    signal: abort.signal,
    onTick: () => {
      if (running.size >= MAX_CONCURRENT) return;
      const p = activity(++count).finally(() => running.delete(p));
      running.add(p);
    },
  });

  return {
    id: spec.id,
    kind: 'webhook',
    stop: async () => {
      abort.abort();
      await loop;
      await Promise.all([...running]);
      for (const c of open) c.close();
    },
  };
}
