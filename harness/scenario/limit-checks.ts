import type { ScenarioIssue } from './errors.ts';
import type { ScenarioBody } from './scenario-schema.ts';

// A cap probe checks the limit the deployment is configured with, so the two must agree; a limit SLO
// judges a cap probe's finding.

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
  body.slos.forEach((s, i) => {
    if (s.kind === 'limit' && !caps.has(s.probe)) issues.push({ path: `slos[${i}].probe`, message: `expected the id of a cap probe (${[...caps].map((c) => JSON.stringify(c)).join(', ') || '(none)'}), got ${JSON.stringify(s.probe)}` });
  });
  return issues;
}
