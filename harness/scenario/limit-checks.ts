import type { ScenarioIssue } from './errors.ts';
import type { ScenarioBody } from './scenario-schema.ts';

// A cap probe checks the limit the deployment is configured with, so the two must agree; so does a
// fallback-queue probe with the deployment's FALLBACK_* settings. A limit SLO judges either finding.

/** The fallback limiter's settings a fallback-queue probe restates, by its field. */
const FALLBACK_SETTINGS = { maxConcurrent: 'FALLBACK_MAX_CONCURRENT', queueLimit: 'FALLBACK_QUEUE_LIMIT', costMs: 'FALLBACK_REQUEST_COST_MS' } as const;
/** Requests one check may send: bounded like every load loop. */
const MAX_QUEUE_CHECK_REQUESTS = 500;

type QueueProbe = Extract<ScenarioBody['probes'][number], { kind: 'fallback-queue' }>;

function fallbackQueueIssues(p: QueueProbe, path: string, body: Pick<ScenarioBody, 'topology' | 'durationS'>): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const d = body.topology.deployments.find((x) => x.name === p.deployment);
  if (d && d.replicas < 2) {
    issues.push({ path: `${path}.deployment`, message: `expected at least 2 replicas of ${JSON.stringify(p.deployment)}: the check fills a pod no pinned probe uses, so its refusals reach no measured client` });
  }
  if (d) {
    for (const [field, name] of Object.entries(FALLBACK_SETTINGS) as [keyof typeof FALLBACK_SETTINGS, string][]) {
      const configured = d.env[name];
      if (configured !== String(p[field])) issues.push({ path: `${path}.${field}`, message: `expected ${name} of ${JSON.stringify(p.deployment)} (${configured ?? 'not set'}), got ${p[field]}` });
    }
  }
  if (p.maxConcurrent + p.queueLimit + p.extra > MAX_QUEUE_CHECK_REQUESTS) {
    issues.push({ path: `${path}.queueLimit`, message: `expected maxConcurrent + queueLimit + extra <= ${MAX_QUEUE_CHECK_REQUESTS} requests, got ${p.maxConcurrent + p.queueLimit + p.extra}` });
  }
  if (p.atS >= body.durationS) issues.push({ path: `${path}.atS`, message: `expected a time within durationS (${body.durationS}), got ${p.atS}` });
  return issues;
}

export function limitIssues(body: Pick<ScenarioBody, 'probes' | 'slos' | 'topology' | 'durationS'>): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const caps = new Set<string>();
  body.probes.forEach((p, i) => {
    if (p.kind !== 'cap') return;
    caps.add(p.id);
    const d = body.topology.deployments.find((x) => x.name === p.deployment);
    if (d && d.maxConnections === undefined) issues.push({ path: `probes[${i}].deployment`, message: `expected a deployment with maxConnections for a cap probe, but ${JSON.stringify(p.deployment)} has none` });
    else if (d && d.maxConnections !== p.limit) issues.push({ path: `probes[${i}].limit`, message: `expected the maxConnections of ${JSON.stringify(p.deployment)} (${d.maxConnections}), got ${p.limit}` });
    if (p.atS >= body.durationS) issues.push({ path: `probes[${i}].atS`, message: `expected a time within durationS (${body.durationS}), got ${p.atS}` });
  });
  body.probes.forEach((p, i) => {
    if (p.kind !== 'fallback-queue') return;
    caps.add(p.id);
    issues.push(...fallbackQueueIssues(p, `probes[${i}]`, body));
  });
  const memory = new Set<string>();
  body.probes.forEach((p, i) => {
    if (p.kind !== 'memory-headroom') return;
    memory.add(p.id);
    const d = body.topology.deployments.find((x) => x.name === p.deployment);
    if (d && d.memoryMb !== p.memoryMb) issues.push({ path: `probes[${i}].memoryMb`, message: `expected the memoryMb of ${JSON.stringify(p.deployment)} (${d.memoryMb}), got ${p.memoryMb}` });
    if (d?.maxConnections !== undefined && d.maxConnections < p.connections) {
      issues.push({ path: `probes[${i}].connections`, message: `expected at most the maxConnections of ${JSON.stringify(p.deployment)} (${d.maxConnections}), got ${p.connections}` });
    }
    if (p.atS + p.holdS >= body.durationS) issues.push({ path: `probes[${i}].atS`, message: `expected atS + holdS within durationS (${body.durationS}), got ${p.atS + p.holdS}` });
  });
  body.slos.forEach((s, i) => {
    if (s.kind !== 'limit') return;
    if (memory.has(s.probe)) {
      if (s.refusal !== undefined) issues.push({ path: `slos[${i}].refusal`, message: `expected no refusal for memory-headroom probe ${JSON.stringify(s.probe)} (a pod at its sized connections refuses nothing), got ${JSON.stringify(s.refusal)}` });
      return;
    }
    if (caps.has(s.probe) && s.refusal === undefined) issues.push({ path: `slos[${i}].refusal`, message: `expected the refusal's reason key (e.g. "close:1006", "http:503") for probe ${JSON.stringify(s.probe)}` });
  });
  body.slos.forEach((s, i) => {
    if (s.kind === 'limit' && !caps.has(s.probe) && !memory.has(s.probe)) issues.push({ path: `slos[${i}].probe`, message: `expected the id of a cap, fallback-queue or memory-headroom probe (${[...caps, ...memory].map((c) => JSON.stringify(c)).join(', ') || '(none)'}), got ${JSON.stringify(s.probe)}` });
  });
  return issues;
}
