import { actionOf } from '../faults/registry.ts';
import type { TimelineAction } from './actions.ts';
import type { ScenarioIssue } from './errors.ts';
import type { Condition } from './conditions.ts';
import { isTrendLike, LABELS, metricKind } from './metric-names.ts';
import type { ScenarioBody } from './scenario-schema.ts';
import type { Expectation, Selector } from './schema.ts';
import type { Role } from './vocabulary.ts';
import { k6Issues } from './k6-checks.ts';
import { limitIssues } from './limit-checks.ts';
import { semanticIssues } from './semantic-checks.ts';
import { AGGREGATIONS_FOR, parseThreshold } from './threshold.ts';

// Checks the schema cannot express on its own: names that must refer to something declared elsewhere
// in the same resolved variant (targets, weights, alerts, SLO ids, metric names, thresholds).

export function crossCheck(body: ScenarioBody, expectation: Expectation | undefined): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const deployments = new Set(body.topology.deployments.map((d) => d.name));
  const links = new Set(body.topology.links.map((l) => l.name));
  const alerts = new Set(body.alerts.map((a) => a.id));
  const list = (s: Set<string>) => [...s].map((x) => JSON.stringify(x)).join(', ') || '(none)';

  duplicates(body.topology.deployments.map((d) => d.name), 'topology.deployments', 'name', add);
  duplicates(body.topology.links.map((l) => l.name), 'topology.links', 'name', add);
  duplicates(body.probes.map((p) => p.id), 'probes', 'id', add);
  duplicates(body.alerts.map((a) => a.id), 'alerts', 'id', add);
  duplicates(body.slos.map((s) => s.id), 'slos', 'id', add);

  for (const name of Object.keys(body.topology.edge.weights)) {
    if (!deployments.has(name)) add(`topology.edge.weights.${name}`, `expected a deployment name (${list(deployments)}), got ${JSON.stringify(name)}`);
  }
  body.topology.links.forEach((l, i) => {
    if (!deployments.has(l.upstream) && l.upstream !== 'redis' && l.upstream !== 'webhooks') {
      add(`topology.links[${i}].upstream`, `expected a deployment name, "redis" or "webhooks", got ${JSON.stringify(l.upstream)}`);
    }
  });

  body.timeline.forEach((a, i) => checkAction(a, `timeline[${i}]`, { deployments, links, alerts, list, add }));
  if (body.timeline.some((a) => a.at > body.durationS)) {
    const i = body.timeline.findIndex((a) => a.at > body.durationS);
    add(`timeline[${i}].at`, `expected a time within durationS (${body.durationS}), got ${body.timeline[i]!.at}`);
  }

  const churn = body.load.clients?.churn;
  for (const key of ['fromS', 'toS'] as const) {
    const v = churn?.[key];
    if (v !== undefined && v > body.durationS) add(`load.clients.churn.${key}`, `expected a time within durationS (${body.durationS}), got ${v}`);
  }

  // Traffic needs a deployment that serves it: a fallback probe pinned to a WebSocket-only
  // deployment would measure nothing and look healthy.
  const roleOf = (transport: string | undefined): Role => (transport === undefined ? 'rest' : transport === 'ws' ? 'ws' : 'fallback');
  const serving = (role: Role) => new Set(body.topology.deployments.filter((d) => d.roles.includes(role)).map((d) => d.name));
  body.probes.forEach((p, i) => {
    const role = roleOf(p.kind === 'rest' ? undefined : p.kind === 'fallback-queue' ? 'xhr_polling' : p.kind === 'memory-headroom' ? 'ws' : p.transport);
    const candidates = serving(role);
    if (p.deployment !== undefined && !deployments.has(p.deployment)) add(`probes[${i}].deployment`, `expected a deployment name (${list(deployments)}), got ${JSON.stringify(p.deployment)}`);
    else if (p.deployment !== undefined && !candidates.has(p.deployment)) add(`probes[${i}].deployment`, `expected a deployment with role "${role}" (${list(candidates)}), got ${JSON.stringify(p.deployment)}`);
    else if (candidates.size === 0) add(`probes[${i}]`, `expected a deployment with role "${role}" to serve this probe, but none has it`);
  });
  if (body.load.publish && body.load.publish.ratePerS > 0 && serving('rest').size === 0) {
    add('load.publish', 'expected a deployment with role "rest" to serve the publishing load, but none has it');
  }

  body.alerts.forEach((a, i) => {
    const r = a.rule;
    if (r.kind === 'ratio') {
      checkSelector(r.numerator, `alerts[${i}].rule.numerator`, add, 'counter');
      checkSelector(r.denominator, `alerts[${i}].rule.denominator`, add, 'counter');
    } else if (r.kind === 'threshold') {
      checkSelector({ metric: r.metric, where: r.where }, `alerts[${i}].rule`, add);
      const wantsTrend = r.stat.startsWith('p');
      if (metricKind(r.metric) !== undefined && wantsTrend !== isTrendLike(r.metric)) {
        add(`alerts[${i}].rule.stat`, wantsTrend ? `expected sum, max, min or last for the non-trend metric ${JSON.stringify(r.metric)}, got ${JSON.stringify(r.stat)}` : `expected a percentile stat (p50, p90, p95, p99) for the trend ${JSON.stringify(r.metric)}, got ${JSON.stringify(r.stat)}`);
      }
    } else if (r.deployment !== undefined && !deployments.has(r.deployment)) {
      add(`alerts[${i}].rule.deployment`, `expected a deployment name (${list(deployments)}), got ${JSON.stringify(r.deployment)}`);
    }
  });

  body.slos.forEach((s, i) => {
    const at = `slos[${i}]`;
    const parsed = parseThreshold(s.threshold);
    if (!parsed.ok) add(`${at}.threshold`, `${parsed.expected}, got ${JSON.stringify(s.threshold)}`);
    else if (!AGGREGATIONS_FOR[s.kind]!.includes(parsed.threshold.agg.kind)) {
      add(`${at}.threshold`, `expected a ${AGGREGATIONS_FOR[s.kind]!.map((k) => (k === 'percentile' ? 'p(N)' : k)).join('/')} threshold for a ${s.kind} SLO, got ${JSON.stringify(s.threshold)}`);
    }
    // Detection and recovery are timed from their event onwards; a window there would be ignored.
    if ((s.kind === 'detection' || s.kind === 'recovery') && s.window) {
      add(`${at}.window`, `nothing reads window on a ${s.kind} SLO (it is timed from its ${s.kind === 'detection' ? 'fault' : 'start event'} onwards): remove window`);
    }
    if (s.window && s.window.to > body.durationS) add(`${at}.window.to`, `expected a time within durationS (${body.durationS}), got ${s.window.to}`);
    switch (s.kind) {
      case 'ratio':
        checkSelector(s.numerator, `${at}.numerator`, add, 'counter');
        checkSelector(s.denominator, `${at}.denominator`, add, 'counter');
        break;
      case 'recovery':
        if (s.signal.kind === 'ratio') {
          checkSelector(s.signal.numerator, `${at}.signal.numerator`, add, 'counter');
          checkSelector(s.signal.denominator, `${at}.signal.denominator`, add, 'counter');
        } else checkSelector(s.signal, `${at}.signal`, add, 'gauge');
        break;
      case 'trend':
        if (!isTrendLike(s.metric)) add(`${at}.metric`, `expected a trend metric (delivery.latency, rest.latency, connect.latency or k6.*), got ${JSON.stringify(s.metric)}`);
        else checkLabels(s.where, at, add);
        break;
      case 'count':
        checkSelector(s, at, add, 'counter');
        break;
      case 'gauge':
        checkSelector(s, at, add, 'gauge');
        break;
      case 'gauge-trend':
        checkSelector(s, at, add, 'gauge');
        if (s.metric === 'connections' && s.holding === 'connections') add(`${at}.holding`, 'a gauge cannot be held against itself: remove holding');
        if (s.metric === 'pod.heapLiveMb') liveHeapIssues(body, s, at, add);
        break;
      case 'detection':
        if (!alerts.has(s.alert)) add(`${at}.alert`, `expected an alert id (${list(alerts)}), got ${JSON.stringify(s.alert)}`);
        break;
    }
  });

  issues.push(...semanticIssues(body), ...limitIssues(body), ...k6Issues(body));

  if (expectation && 'breach' in expectation) {
    const slos = new Set(body.slos.map((s) => s.id));
    expectation.breach.forEach((id, i) => {
      if (!slos.has(id)) add(`expect.breach[${i}]`, `expected an SLO id (${list(slos)}), got ${JSON.stringify(id)}`);
    });
  }
  return issues;
}

/**
 * A live-heap trend needs pods that sample it (server LIVE_HEAP_SAMPLE_MS) often enough to fill the
 * window with `minSamples` per pod; a pod without it never reports and its group is unknown.
 */
function liveHeapIssues(body: ScenarioBody, s: Extract<ScenarioBody['slos'][number], { kind: 'gauge-trend' }>, at: string, add: (p: string, m: string) => void) {
  const judged = body.topology.deployments.filter((d) => d.replicas > 0 && (s.where?.deployment === undefined || s.where.deployment === d.name));
  const span = s.window.to - s.window.from;
  for (const d of judged) {
    const ms = Number(d.env.LIVE_HEAP_SAMPLE_MS ?? 0);
    const path = `topology.deployments[${body.topology.deployments.indexOf(d)}].env.LIVE_HEAP_SAMPLE_MS`;
    if (!(ms > 0)) {
      add(`${at}.metric`, `pod.heapLiveMb is sampled only by pods with LIVE_HEAP_SAMPLE_MS set, and deployment ${JSON.stringify(d.name)} does not set it: add env: { LIVE_HEAP_SAMPLE_MS: '2000' } to it (or narrow where.deployment)`);
    } else if (Math.floor((span * 1000) / Math.max(ms, 1000)) < s.minSamples) {
      add(path, `${ms} ms between samples gives at most ${Math.floor((span * 1000) / Math.max(ms, 1000))} samples per pod in ${at}'s ${span} s window, fewer than its minSamples (${s.minSamples}): sample more often, widen the window or lower minSamples`);
    }
  }
}

function checkSelector(sel: Selector, at: string, add: (p: string, m: string) => void, want?: 'counter' | 'gauge') {
  const kind = metricKind(sel.metric);
  if (kind === undefined) add(`${at}.metric`, `expected a known metric name (see harness/scenario/metric-names.ts), got ${JSON.stringify(sel.metric)}`);
  else if (want !== undefined && kind !== want) add(`${at}.metric`, `expected a ${want} metric, got the ${kind} ${JSON.stringify(sel.metric)}`);
  checkLabels(sel.where, at, add);
}

/** A misspelt label key would silently match nothing and judge a different question. */
function checkLabels(where: Record<string, string> | undefined, at: string, add: (p: string, m: string) => void) {
  for (const key of Object.keys(where ?? {})) {
    if (!(LABELS as readonly string[]).includes(key)) add(`${at}.where.${key}`, `expected a label among ${LABELS.join(', ')}, got ${JSON.stringify(key)}`);
  }
}

function checkCondition(c: Condition, at: string, ctx: { deployments: Set<string>; alerts: Set<string>; list: (s: Set<string>) => string; add: (p: string, m: string) => void }) {
  const { deployments, alerts, list, add } = ctx;
  if (c.kind === 'metric') checkSelector({ metric: c.metric, where: c.where }, at, add);
  if (c.kind === 'alert.fired' && !alerts.has(c.alert)) add(`${at}.alert`, `expected an alert id (${list(alerts)}), got ${JSON.stringify(c.alert)}`);
  if (c.kind === 'pods.ready' && !deployments.has(c.deployment)) add(`${at}.deployment`, `expected a deployment name (${list(deployments)}), got ${JSON.stringify(c.deployment)}`);
}

function duplicates(values: string[], at: string, key: string, add: (p: string, m: string) => void) {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) add(`${at}[${i}].${key}`, `expected a unique ${key}, got a second ${JSON.stringify(v)}`);
    seen.add(v);
  });
}

function checkAction(
  a: TimelineAction,
  at: string,
  ctx: { deployments: Set<string>; links: Set<string>; alerts: Set<string>; list: (s: Set<string>) => string; add: (p: string, m: string) => void },
) {
  const action = actionOf(a.type);
  const kind = action.target;
  const { deployments, links, list, add } = ctx;
  const target = a.target;
  if (kind === 'edge' && target !== 'edge') add(`${at}.target`, `expected "edge" for ${a.type}, got ${JSON.stringify(target)}`);
  if (kind === 'deployment' && !deployments.has(target)) add(`${at}.target`, `expected a deployment name (${list(deployments)}), got ${JSON.stringify(target)}`);
  if (kind === 'link' && !links.has(target)) {
    add(`${at}.target`, `expected a link name (${list(links)}), got ${JSON.stringify(target)}${links.size === 0 ? ': declare the link in topology.links, e.g. { name: "redis", upstream: "redis" }' : ''}`);
  }
  if (kind === 'pods') {
    const m = /^([a-z][a-z0-9_-]*)(?:\/(\d+))?$/.exec(target);
    if (!m || !deployments.has(m[1]!)) add(`${at}.target`, `expected "deployment" or "deployment/<pod index>" with a deployment in ${list(deployments)}, got ${JSON.stringify(target)}`);
  }
  // What the action's own registry entry says its params name: deployments, and conditions it waits on.
  for (const ref of action.names(a.params)) {
    if (!deployments.has(ref.deployment)) add(`${at}.params.${ref.path}`, `expected a deployment name (${list(deployments)}), got ${JSON.stringify(ref.deployment)}`);
  }
  for (const ref of action.waitsOn(a.params)) checkCondition(ref.condition, `${at}.params.${ref.path}`, ctx);
}
