import { historyEventSchema, type EventOf, type HistoryEvent } from './events.ts';

// Histories written before evidence had typed events carried two kinds of evidence as tagged log
// lines that something reads: `pod.final` (JSON of the pod's last state) and `rollback.decided` (the
// start of recovery SLOs). Read back, such a line is kept as it was and its typed event follows it,
// so the plan saved with the run (which points at the log line) and a current scenario (which
// points at the typed event) judge it alike. Other tagged lines of those runs (deploy.pod,
// deploy.gate, wire, liveness.restart) were never read by a check and stay log lines.

type LogLine = EventOf<'log.line'>;

/** The event a legacy evidence line stands for, or undefined when it is not one (or not readable as one). */
export function typedFromLegacyLine(e: LogLine): HistoryEvent | undefined {
  if (e.tag === 'pod.final') return podFinal(e);
  if (e.tag === 'rollback.decided') return rollbackDecided(e);
  return undefined;
}

function podFinal(e: LogLine): HistoryEvent | undefined {
  let fields: unknown;
  try {
    fields = JSON.parse(e.line);
  } catch {
    return undefined;
  }
  if (typeof fields !== 'object' || fields === null) return undefined;
  const parsed = historyEventSchema.safeParse({ ...fields, type: 'pod.final', t: e.t, pod: e.source });
  return parsed.success ? parsed.data : undefined;
}

// The two lines the deploy actions wrote: an explicit rollback, and a failed gate's roll-back.
const EXPLICIT = /^(\S+): rollback \((app|app\+config)\) from (.+) to (.+)$/;
const AFTER_GATE = /^(\S+): gate failed after (.+); rolling back to (.+)$/;

function rollbackDecided(e: LogLine): HistoryEvent | undefined {
  const explicit = EXPLICIT.exec(e.line);
  if (explicit) {
    const [, deployment, scope, from, to] = explicit;
    return { type: 'rollback.decided', t: e.t, deployment: deployment!, scope: scope as 'app' | 'app+config', from: from!, to: to!, why: `deploy.rollback (${scope})` };
  }
  const gate = AFTER_GATE.exec(e.line);
  if (gate) {
    const [, deployment, pods, to] = gate;
    return { type: 'rollback.decided', t: e.t, deployment: deployment!, scope: 'app+config', to: to!, why: `gate failed after ${pods}` };
  }
  return undefined;
}
