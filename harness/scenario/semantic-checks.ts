import type { ScenarioIssue } from './errors.ts';
import type { ScenarioBody } from './scenario-schema.ts';
import { DELIVERY_CHECKS, WEBHOOK_CHECKS, type DeliveryCheck, type Expectation, type Slo, type WebhookCheck } from './schema.ts';

// Delivery semantics as a default, applied when a variant is resolved: a variant that promises to
// hold every SLO also promises that each delivery probe lost, duplicated and reordered nothing and
// that each webhook probe's webhooks all came, once, and none came that nothing caused. A scenario
// states the exceptions (`semantics.exempt`, each with its reason) or writes the SLO itself under
// the same id (its own threshold and `why`). Incident variants are left as written.

const DELIVERY_WHY: Record<DeliveryCheck, string> = {
  lost: 'Pusher delivers every message published on a channel to every subscriber connected to it: a lost message is a defect.',
  duplicated: 'Pusher delivers each message once per subscriber: a second copy is a defect the client cannot tell from a new message.',
  reordered: 'Pusher delivers a channel\'s messages in the order they were published, per subscriber: one out of order is a defect.',
};

const WEBHOOK_WHY: Record<WebhookCheck, string> = {
  missing: 'Every webhook a client\'s activity causes must reach the customer\'s endpoint within the deadline.',
  duplicated: 'A webhook the endpoint already answered with a 2xx must not come again: the customer would act on it twice.',
  stray: 'A webhook that no client activity caused tells the customer something that did not happen.',
};

const DELIVERY_TITLE: Record<DeliveryCheck, string> = { lost: 'messages lost', duplicated: 'messages delivered twice', reordered: 'messages out of order' };
const WEBHOOK_TITLE: Record<WebhookCheck, string> = { missing: 'webhooks missing', duplicated: 'webhooks repeated after a 2xx', stray: 'webhooks nothing caused' };

/** The id of a default semantic SLO: `<probe>-<check>`, e.g. `edge-ws-lost`. */
export const semanticSloId = (probe: string, check: string): string => `${probe}-${check}`;

/** The default semantic SLOs for a variant (before exemptions and authored SLOs are taken out). */
export function defaultSemanticSlos(body: Pick<ScenarioBody, 'probes'>): Slo[] {
  const out: Slo[] = [];
  for (const p of body.probes) {
    if (p.kind === 'delivery') {
      for (const check of DELIVERY_CHECKS) {
        out.push({ id: semanticSloId(p.id, check), kind: 'delivery', probe: p.id, check, title: `Probe ${p.id} (${p.transport}): ${DELIVERY_TITLE[check]}`, why: DELIVERY_WHY[check], threshold: 'count==0' });
      }
    } else if (p.kind === 'webhook') {
      for (const check of WEBHOOK_CHECKS) {
        out.push({ id: semanticSloId(p.id, check), kind: 'webhook', probe: p.id, check, title: `Webhook probe ${p.id} (${p.transport}): ${WEBHOOK_TITLE[check]}`, why: WEBHOOK_WHY[check], threshold: 'count==0' });
      }
    }
  }
  return out;
}

/** The body with the default semantic SLOs appended, for variants that hold all. */
export function withSemanticChecks<B extends ScenarioBody>(body: B, expectation: Expectation): B {
  if (!('hold' in expectation)) return body;
  const authored = new Set(body.slos.map((s) => s.id));
  const exempt = new Set(body.semantics.exempt.map((e) => semanticSloId(e.probe, e.check)));
  const added = defaultSemanticSlos(body).filter((s) => !authored.has(s.id) && !exempt.has(s.id));
  return added.length === 0 ? body : { ...body, slos: [...body.slos, ...added] };
}

/** References the schema cannot check: each semantic SLO and exemption names a probe of its kind. */
export function semanticIssues(body: Pick<ScenarioBody, 'probes' | 'slos' | 'semantics'>): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const kindOf = new Map(body.probes.map((p) => [p.id, p.kind]));
  const named = (kind: string) => [...kindOf].filter(([, k]) => k === kind).map(([id]) => JSON.stringify(id)).join(', ') || '(none)';
  body.slos.forEach((s, i) => {
    if ((s.kind === 'delivery' || s.kind === 'webhook') && kindOf.get(s.probe) !== s.kind) {
      issues.push({ path: `slos[${i}].probe`, message: `expected the id of a ${s.kind} probe (${named(s.kind)}), got ${JSON.stringify(s.probe)}` });
    }
  });
  const authored = new Set(body.slos.map((s) => s.id));
  body.semantics.exempt.forEach((e, i) => {
    const at = `semantics.exempt[${i}]`;
    const kind = kindOf.get(e.probe);
    const checks: readonly string[] = kind === 'delivery' ? DELIVERY_CHECKS : kind === 'webhook' ? WEBHOOK_CHECKS : [];
    if (kind !== 'delivery' && kind !== 'webhook') issues.push({ path: `${at}.probe`, message: `expected the id of a delivery or webhook probe (${named('delivery')}; ${named('webhook')}), got ${JSON.stringify(e.probe)}` });
    else if (!checks.includes(e.check)) issues.push({ path: `${at}.check`, message: `expected a check of a ${kind} probe (${checks.join(', ')}), got ${JSON.stringify(e.check)}` });
    else if (authored.has(semanticSloId(e.probe, e.check))) {
      issues.push({ path: `${at}`, message: `the SLO ${JSON.stringify(semanticSloId(e.probe, e.check))} is written in slos: exempt it or write it, not both` });
    }
  });
  return issues;
}
