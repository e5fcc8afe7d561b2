import type { Observation } from '../metrics/fold.ts';
import type { Window } from '../metrics/series-store.ts';
import type { Slo } from '../scenario/schema.ts';

// Delivery semantics of one probe: how many messages it lost, got twice or out of order (delivery),
// or how many webhooks went missing, came again after a 2xx, or came with nothing to explain them
// (webhook). A probe that sent nothing (or caused no webhook) in the window proves nothing: unknown,
// unless something was counted anyway (a breach seen is a breach).

export interface SemanticValue {
  value: number | null;
  detail: string;
}

type SemanticSlo = Extract<Slo, { kind: 'delivery' | 'webhook' }>;

const inWindow = (w: Window | undefined) => (w ? ` in [${w.from}s, ${w.to}s)` : '');

export function judgeSemantics(slo: SemanticSlo, obs: Observation, win: Window): SemanticValue {
  const m = obs.metrics;
  const where = { probe: slo.probe, ...(slo.kind === 'delivery' && slo.transport !== undefined ? { transport: slo.transport } : {}) };
  const metric = slo.kind === 'delivery' ? `delivery.${slo.check}` : `webhooks.${slo.check}`;
  const base = slo.kind === 'delivery' ? 'messages.sent' : 'webhooks.expected';
  const value = m.counterTotal(metric, where, win);
  const baseTotal = m.counterTotal(base, where, win);
  const span = inWindow(slo.window);
  if (slo.kind === 'delivery') {
    const streams = obs.delivery.filter((d) => d.probe === slo.probe && (slo.transport === undefined || d.transport === slo.transport));
    const transport = slo.transport ?? streams[0]?.transport ?? 'its transport';
    const lostSeqs = slo.check === 'lost' && !slo.window ? streams.flatMap((s) => s.lostSeqs.map((q) => `${s.subscriber}#${q}`)).slice(0, 8) : [];
    const text = `${value} ${slo.check} of ${baseTotal} messages sent on probe ${slo.probe} (${transport}, ${streams.length} subscriber stream${streams.length === 1 ? '' : 's'})${span}${lostSeqs.length ? `; first lost: ${lostSeqs.join(', ')}` : ''}`;
    if (value === 0 && baseTotal === 0) return { value: null, detail: `no data: probe ${slo.probe} sent no message that could have arrived${span}` };
    return { value, detail: text };
  }
  const text = `${value} ${slo.check} of ${baseTotal} webhooks owed to probe ${slo.probe}${span}`;
  if (value === 0 && baseTotal === 0) return { value: null, detail: `no data: probe ${slo.probe} caused no webhook that was due${span}` };
  return { value, detail: text };
}
