/**
 * Cap probe: checks a pod's connection cap at its boundary. At `atS` it reads how many connections
 * the pod has open (its own gauge), opens WebSocket connections to it in batches until the pod
 * refuses one, asks a few of the admitted ones to receive a message published through the REST API,
 * and records one `limit.checked` event with what it found. Then it closes everything it opened.
 * Bounded: never more than limit + one batch attempts, never past the probe's time bound.
 */
import { metricByLabel } from '../topology/prometheus-text.ts';
import { podGet } from '../topology/pod-http.ts';
import { connectRecorded } from '../load/recorded-connect.ts';
import { sleep } from '../load/timing.ts';
import { ConnectError, LOOPBACK_HOST, type PusherConnection } from '../load/pusher-client/index.ts';
import { reasonKey } from '../history/events.ts';
import type { Probe } from '../scenario/schema.ts';
import { endpointFor, ProbeTargetError, type ProbeContext, type StartedProbe } from './probe.ts';
import { firstMiddleLast, receiveCheck } from './receive-check.ts';

export type CapProbeSpec = Extract<Probe, { kind: 'cap' }>;

async function podGauge(port: number): Promise<{ open: number; refused: Record<string, number> } | undefined> {
  const res = await podGet(`http://${LOOPBACK_HOST}:${port}/metrics`, 2000);
  if (res?.status !== 200) return undefined;
  return { open: metricByLabel(res.body, 'sut_connections', 'transport').ws ?? 0, refused: metricByLabel(res.body, 'sut_connections_refused_total', 'reason') };
}

export function startCapProbe(spec: CapProbeSpec, ctx: ProbeContext): StartedProbe {
  const { history } = ctx;
  const abort = new AbortController();
  const open: PusherConnection[] = [];
  const deadline = performance.now() + ctx.maxDurationS * 1000;

  const check = async (): Promise<void> => {
    await sleep(Math.max(0, spec.atS * 1000 - history.now()), abort.signal);
    if (abort.signal.aborted) return;
    const endpoint = endpointFor(ctx.targets, spec.deployment);
    if (!endpoint || endpoint.pod === undefined) throw new ProbeTargetError(`cap probe ${spec.id}: deployment ${spec.deployment} has no pod to check`);
    const before = await podGauge(endpoint.port);
    // No reading, no finding: the SLO is unknown without the event, never a guess.
    if (!before) return;
    let refusal: string | undefined;
    const maxAttempts = Math.max(0, spec.limit - before.open) + spec.batch;
    let n = 0;
    while (refusal === undefined && n < maxAttempts && !abort.signal.aborted && performance.now() < deadline) {
      const size = Math.min(spec.batch, maxAttempts - n);
      const results = await Promise.allSettled(
        Array.from({ length: size }, (_, i) =>
          connectRecorded(history, { client: `${spec.id}/c-${n + i + 1}`, source: 'probe' }, { endpoint, app: ctx.app, transport: 'ws', timeoutMs: ctx.connectTimeoutMs ?? 5000 }),
        ),
      );
      n += size;
      for (const r of results) {
        if (r.status === 'fulfilled') open.push(r.value);
        else if (refusal === undefined) refusal = r.reason instanceof ConnectError ? reasonKey(r.reason) : 'error';
      }
    }
    const after = await podGauge(endpoint.port);
    const admitted = open.length;
    const working = await receiveCheck(spec.id, ctx, firstMiddleLast(open));
    const refusedByServer: Record<string, number> = {};
    for (const [reason, total] of Object.entries(after?.refused ?? {})) {
      const delta = total - (before.refused[reason] ?? 0);
      if (delta > 0) refusedByServer[reason] = delta;
    }
    history.record({
      type: 'limit.checked',
      probe: spec.id,
      deployment: spec.deployment,
      pod: endpoint.pod,
      transport: 'ws',
      limit: spec.limit,
      openBefore: before.open,
      ...(after ? { openAfter: after.open } : {}),
      admitted,
      ...(refusal !== undefined ? { refusal } : {}),
      refusedByServer,
      checked: working.checked,
      working: working.ok,
    });
    for (const c of open.splice(0)) c.close();
  };

  const done = check().catch((err: unknown) => {
    history.record({ type: 'log.line', source: `probe:${spec.id}`, stream: 'stderr', line: `cap check failed: ${(err as Error).message}` });
  });

  return {
    id: spec.id,
    kind: 'cap',
    stop: async () => {
      abort.abort();
      await done;
      for (const c of open.splice(0)) c.close();
    },
  };
}
