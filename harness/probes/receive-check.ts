/**
 * Whether connections a limit check admitted still work: each subscribes to the check's channel,
 * one message is published through the REST API, and those that received it are counted.
 */
import { sleep } from '../load/timing.ts';
import { dataObject, RestClient, type PusherConnection } from '../load/pusher-client/index.ts';
import type { ProbeContext } from './probe.ts';

const RECEIVE_WAIT_MS = 3000;
const CHECK_EVENT = 'limit-check';

/** The first, the middle and the last of what was admitted (fewer when fewer were). */
export function firstMiddleLast<T>(admitted: readonly T[]): T[] {
  if (admitted.length === 0) return [];
  return [...new Set([admitted[0]!, admitted[Math.floor(admitted.length / 2)]!, admitted[admitted.length - 1]!])];
}

/** Subscribes each connection, publishes one message, counts who received it. */
export async function receiveCheck(probeId: string, ctx: Pick<ProbeContext, 'targets' | 'app'>, conns: readonly PusherConnection[]): Promise<{ checked: number; ok: number }> {
  if (conns.length === 0) return { checked: 0, ok: 0 };
  const channel = `limit-${probeId}`;
  const got = new Set<PusherConnection>();
  const subscribed: PusherConnection[] = [];
  for (const c of conns) {
    c.onEvent((f) => {
      if (f.event === CHECK_EVENT && f.channel === channel && dataObject(f).probe === probeId) got.add(c);
    });
    try {
      await c.subscribe(channel);
      subscribed.push(c);
    } catch {
      // not subscribed: counted as checked and not working
    }
  }
  const rest = new RestClient(ctx.targets.rest ?? ctx.targets.edge, ctx.app, { keepAlive: false, maxSockets: 1 });
  try {
    if (subscribed.length > 0) await rest.publish([channel], CHECK_EVENT, JSON.stringify({ probe: probeId })).catch(() => undefined);
    const by = performance.now() + RECEIVE_WAIT_MS;
    while (got.size < subscribed.length && performance.now() < by) await sleep(25);
  } finally {
    rest.close();
  }
  return { checked: conns.length, ok: got.size };
}
