/**
 * The shape every limit check shares: wait until `atS` of the replay, run once, record a failure as
 * a log line (no finding: its SLO is unknown), and on stop close every connection it still holds.
 */
import { sleep } from '../load/timing.ts';
import type { Probe } from '../scenario/schema.ts';
import type { ProbeContext, StartedProbe } from './probe.ts';

/** Anything the check opened that stop() must close. */
export interface Closable {
  close(): void;
}

export interface CheckScope {
  signal: AbortSignal;
  /** performance.now() bound: the probe's time bound. */
  deadline: number;
  /** Connections to close when the check ends or the probe stops. */
  open: Closable[];
}

export function startTimedCheck(
  spec: { id: string; kind: Probe['kind']; atS: number },
  ctx: ProbeContext,
  what: string,
  check: (scope: CheckScope) => Promise<void>,
): StartedProbe {
  const abort = new AbortController();
  const scope: CheckScope = { signal: abort.signal, deadline: performance.now() + ctx.maxDurationS * 1000, open: [] };
  const closeAll = (): void => {
    for (const c of scope.open.splice(0)) c.close();
  };
  const run = async (): Promise<void> => {
    await sleep(Math.max(0, spec.atS * 1000 - ctx.history.now()), abort.signal);
    if (abort.signal.aborted) return;
    await check(scope);
    closeAll();
  };
  const done = run().catch((err: unknown) => {
    ctx.history.record({ type: 'log.line', source: `probe:${spec.id}`, stream: 'stderr', line: `${what} failed: ${(err as Error).message}` });
  });
  return {
    id: spec.id,
    kind: spec.kind,
    stop: async () => {
      abort.abort();
      await done;
      closeAll();
    },
  };
}
