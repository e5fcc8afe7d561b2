import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { FALLBACK_TRANSPORTS, type Transport } from '../scenario/vocabulary.ts';
import type { RootCauseSwitch, ServerCapabilities } from './server-capabilities.ts';

/**
 * What a variant means on another server (docs/servers.md), decided before anything starts:
 *
 * - A variant whose cause is a code defect of our server (a root-cause switch set to its defect, an
 *   app version or config file of ours) does not apply: the other server would have to have the same
 *   defect, and its remediated variant is what would show it.
 * - A cause that is configuration or infrastructure (a cap, a memory size, a weight shift) applies.
 * - Parts that need what the server lacks (the HTTP fallback transport) are left out, with every
 *   probe, SLO, alert and axis that reads them; a variant left without what it was expected to
 *   breach, or whose timeline acts on a part left out, does not apply.
 * - Our server's settings with no equivalent are dropped, each named in the notes.
 */
export type ServerFit =
  | { applicable: true; scenario: ResolvedScenario; notes: string[] }
  | { applicable: false; reasons: string[] };

export interface FitTarget {
  name: string;
  capabilities: ServerCapabilities;
  /** How the server refuses a connection at its cap, as a limit SLO names a refusal (e.g. `close:4100`). */
  capRefusal?: string;
}

/** Our server's root-cause switches, each with its healthy value (server-under-test/src/config/env.ts). */
const DEFECT_SWITCHES: Partial<Record<RootCauseSwitch, { healthy: string; cause: string }>> = {
  KEEPALIVE_DOUBLE_4XX: { healthy: 'false', cause: '2020-01: a 4XX response written twice on keep-alive connections' },
  WEBHOOK_STREAM_ENABLED: { healthy: 'true', cause: '2022-08: webhook stream writes switched off' },
  FALLBACK_STREAM_WRITES: { healthy: 'true', cause: '2022-08: the fallback role reads a differently named switch' },
};

/** Settings of ours whose effect the other server brings its own way. */
const STAND_INS: Partial<Record<RootCauseSwitch, string>> = {
  OVER_CAP_MODE: 'how a connection over the cap is refused: the server refuses its own way',
  RETAINED_BYTES_PER_CONNECTION: 'memory held per connection: the server\'s own cost per connection stands in',
};

/** The settings the harness itself gives every pod (topology/topology.ts): each profile renders them. */
const HARNESS_SETTINGS = new Set(['MAX_CONNECTIONS']);

const isFallback = (t: unknown) => typeof t === 'string' && (FALLBACK_TRANSPORTS as readonly string[]).includes(t);

/** Every deployment, transport, probe and alert an object names, at any depth. */
function mentions(value: unknown, out = { deployments: new Set<string>(), transports: new Set<string>(), probes: new Set<string>(), alerts: new Set<string>() }) {
  if (Array.isArray(value)) for (const v of value) mentions(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'deployment' && typeof v === 'string') out.deployments.add(v);
      else if (k === 'deployments' && Array.isArray(v)) {
        for (const d of v) if (typeof d === 'string') out.deployments.add(d);
      } else if (k === 'transport' && typeof v === 'string') out.transports.add(v);
      else if (k === 'probe' && typeof v === 'string') out.probes.add(v);
      else if (k === 'alert' && typeof v === 'string') out.alerts.add(v);
      else mentions(v, out);
    }
  }
  return out;
}

export function fitToServer(scenario: ResolvedScenario, server: FitTarget): ServerFit {
  const caps = server.capabilities;
  const reasons: string[] = [];
  const notes: string[] = [];
  const hasFallback = caps.transports.some(isFallback);
  const switches = new Set<string>(caps.switches);

  // 1. Deployments: our code versions, root-cause switches, readiness modes, the cap; the fallback role.
  const dropped = new Set<string>();
  const deployments = [];
  for (const d of scenario.topology.deployments) {
    if (!caps.ourVersions && (d.appVersion !== 'v1' || Object.keys(d.config).length > 0)) {
      reasons.push(`needs our server's app versions and config files (deployment ${d.name}: appVersion ${d.appVersion}${Object.keys(d.config).length ? `, config version ${d.configVersion}` : ''}): a change of our code, which ${server.name} does not run`);
    }
    if (d.readiness && !caps.readinessModes.includes(d.readiness.mode)) reasons.push(`needs readiness mode ${d.readiness.mode} (deployment ${d.name})`);
    if (d.maxConnections !== undefined && !caps.connectionCap) reasons.push(`needs a per-pod connection cap (deployment ${d.name})`);
    let roles = d.roles;
    if (!hasFallback && roles.includes('fallback')) {
      roles = roles.filter((r) => r !== 'fallback');
      if (roles.length === 0) {
        dropped.add(d.name);
        notes.push(`deployment ${d.name} left out: it serves only the HTTP fallback, which ${server.name} does not have`);
        continue;
      }
      notes.push(`deployment ${d.name}: fallback role left out (${server.name} has no HTTP fallback)`);
    }
    // Our own server (or a build of it) reads every one of its settings as written.
    const env: Record<string, string> = caps.ourVersions ? { ...d.env } : {};
    for (const [k, v] of caps.ourVersions ? [] : Object.entries(d.env)) {
      const defect = DEFECT_SWITCHES[k as RootCauseSwitch];
      if (HARNESS_SETTINGS.has(k) || switches.has(k)) env[k] = v;
      else if (defect && v !== defect.healthy) reasons.push(`needs our server's root-cause switch ${k}=${v} (${defect.cause}), a defect of our code that ${server.name} does not have; its remediated variant tests whether ${server.name} has the same defect`);
      else if (defect) notes.push(`deployment ${d.name}: ${k}=${v} is our server's healthy default; ${server.name} runs as it is`);
      else if (STAND_INS[k as RootCauseSwitch]) notes.push(`deployment ${d.name}: ${k}=${v} not applied (${STAND_INS[k as RootCauseSwitch]})`);
      else notes.push(`deployment ${d.name}: our server's setting ${k}=${v} has no equivalent on ${server.name}; not applied`);
    }
    deployments.push({ ...d, roles, env });
  }
  if (scenario.topology.redis.enabled && !caps.redisAdapter && deployments.some((d) => d.replicas > 1)) reasons.push('needs several pods sharing channels through Redis');

  // 2. What reads a part left out: probes, SLOs, alerts, axes; a timeline or link that acts on one makes the variant not applicable.
  const leftOut = (m: ReturnType<typeof mentions>, alertsOut: Set<string>, probesOut: Set<string>) =>
    [...m.deployments].some((d) => dropped.has(d)) ||
    (!hasFallback && [...m.transports].some(isFallback)) ||
    [...m.probes].some((p) => probesOut.has(p)) ||
    [...m.alerts].some((a) => alertsOut.has(a));
  const probesOut = new Set<string>();
  const probes = scenario.probes.filter((p) => {
    const out = (!hasFallback && p.kind === 'fallback-queue') || leftOut(mentions(p), new Set(), new Set());
    const webhookLess = p.kind === 'webhook' && !caps.webhooks.includes(p.transport as Transport);
    // Sized from our server's capacity model: on another server its prediction is not that server's.
    const ourModel = p.kind === 'memory-headroom' && server.name !== 'sut';
    if (out || webhookLess || ourModel) {
      probesOut.add(p.id);
      notes.push(`probe ${p.id} left out: ${ourModel ? 'it is sized from our server\'s capacity model' : webhookLess ? `${server.name} sends no webhooks for ${(p as { transport: string }).transport}` : 'it reads the HTTP fallback'}`);
    }
    return !probesOut.has(p.id);
  });
  const alertsOut = new Set<string>();
  const alerts = scenario.alerts.filter((a) => {
    if (leftOut(mentions(a.rule), alertsOut, probesOut)) alertsOut.add(a.id);
    return !alertsOut.has(a.id);
  });
  const slosOut = new Set<string>();
  const slos = scenario.slos
    .filter((s) => {
      if (leftOut(mentions(s), alertsOut, probesOut)) slosOut.add(s.id);
      else if (s.kind === 'gauge-trend' && s.metric === 'pod.heapLiveMb' && !caps.liveHeap) {
        slosOut.add(s.id);
        notes.push(`SLO ${s.id} left out: ${server.name} does not report its live heap after a full collection`);
      }
      return !slosOut.has(s.id);
    })
    .map((s) => {
      if (s.kind === 'limit' && 'refusal' in s && s.refusal !== undefined && server.capRefusal && s.refusal.startsWith('close:')) {
        notes.push(`SLO ${s.id}: a refusal at the cap is ${server.capRefusal} on ${server.name} (ours: ${s.refusal})`);
        return { ...s, refusal: server.capRefusal };
      }
      return s;
    });
  if (alertsOut.size) notes.push(`alerts left out: ${[...alertsOut].join(', ')}`);
  if (slosOut.size) notes.push(`SLOs left out: ${[...slosOut].join(', ')}`);
  for (const a of scenario.timeline) {
    if (leftOut(mentions(a), alertsOut, probesOut) || dropped.has(a.target)) reasons.push(`its timeline acts on a part ${server.name} cannot run (${a.type} ${a.target}${a.label ? `: ${a.label}` : ''})`);
  }
  for (const l of scenario.topology.links) if (dropped.has(l.upstream)) reasons.push(`link ${l.name} leads to deployment ${l.upstream}, left out`);
  const axes = scenario.axes.filter((x) => !(x.kind === 'fallback-eagerness' && !hasFallback) && !leftOut(mentions(x), alertsOut, probesOut));

  // 3. The expectation, on what is left.
  let expectation = scenario.expectation;
  if ('breach' in expectation) {
    const kept = expectation.breach.filter((id) => !slosOut.has(id));
    // A detection SLO times an alert against a fault: with every other breach gone, the fault it
    // times was in the parts left out, and the variant has nothing of its incident left to show.
    const harm = kept.filter((id) => scenario.slos.find((s) => s.id === id)?.kind !== 'detection');
    if (harm.length === 0) reasons.push(`what it is expected to breach (${expectation.breach.join(', ')}) happens in parts ${server.name} does not have${kept.length ? ` (only the detection SLO ${kept.join(', ')} would be left)` : ''}`);
    else if (kept.length < expectation.breach.length) {
      notes.push(`expected to breach ${kept.join(', ')} (left out: ${expectation.breach.filter((id) => slosOut.has(id)).join(', ')})`);
      expectation = { breach: kept };
    }
  }
  if (reasons.length) return { applicable: false, reasons: [...new Set(reasons)] };

  const weights = Object.fromEntries(Object.entries(scenario.topology.edge.weights).filter(([d]) => !dropped.has(d)));
  const clients = scenario.load.clients;
  return {
    applicable: true,
    notes,
    scenario: {
      ...scenario,
      // The report says what was changed to run it here.
      variantDescription: notes.length ? `${scenario.variantDescription ?? ''} [On ${server.name}: ${notes.join('; ')}.]`.trim() : scenario.variantDescription,
      topology: { ...scenario.topology, deployments, edge: { ...scenario.topology.edge, weights } },
      load: clients && !hasFallback ? { ...scenario.load, clients: { ...clients, reconnect: { ...clients.reconnect, fallbackAfterFailures: Number.MAX_SAFE_INTEGER } } } : scenario.load,
      probes,
      alerts,
      slos,
      axes,
      expectation,
    },
  };
}
