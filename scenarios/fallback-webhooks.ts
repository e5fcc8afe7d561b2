import { defineScenario, type VariantInput } from '../harness/index.ts';

// 2022-08, all clusters but mt1: the HTTP-fallback (SockJS/XHR) servers move to new infrastructure
// (EKS). A variable is misconfigured there and the new servers stop writing to the stream that feeds
// webhooks. WebSocket clients' webhooks keep arriving, so nothing that watches webhooks as a whole
// notices; fallback clients get none for 16 days, until customers report it.
//
// The misconfiguration, as the server models it: the fallback role reads FALLBACK_STREAM_WRITES, the
// ws role reads WEBHOOK_STREAM_ENABLED. The new deployment inherits FALLBACK_STREAM_WRITES=false from
// a template (a staging default: do not feed the production stream), and the migration's enabling
// line uses the name the WebSocket servers read, which a fallback pod ignores.
//
// Time is compressed: the roll-out is one weight shift at second 10; 16 days are the 30 s after it.
// The "clients" are the harness's webhook probes through the edge, one per transport: each joins a
// fresh presence channel, sends a client event and leaves, and each webhook it should cause is
// expected within the deadline. They are the ground truth; what differs between variants is what
// the operators watch and what guards the roll-out.

// member_added and member_removed: a presence channel's membership reaches the customer both ways (a
// server that drops either keeps showing a user online, or never shows one).
const EVENTS = ['channel_occupied', 'member_added', 'member_removed', 'client_event'] as const;
/** The new fallback deployment as migrated: writes disabled by the template, enabled under the wrong name. */
const MIGRATED_ENV = { FALLBACK_STREAM_WRITES: 'false', WEBHOOK_STREAM_ENABLED: 'true' };
const SHIFT_AT_S = 10;
const EKS = { name: 'fallback-eks', roles: ['fallback' as const], replicas: 2, appVersion: 'v1', memoryMb: 128, cpus: 0.25 };
/** Fallback clients' webhooks through the edge (a probe pinned to a deployment carries its name). */
const fallbackClients = (transport: 'xhr_streaming' | 'xhr_polling') => ({ transport, deployment: 'edge' });

/** The per-transport webhook check of a new deployment, run against its pods before it takes traffic. */
const CANDIDATE_CHECK = { kind: 'webhook' as const, id: 'eks-check', transport: 'xhr_streaming' as const, deployment: 'fallback-eks', events: [...EVENTS], ratePerS: 2 };

/** The move, guarded: it happens only once the candidate's fallback webhooks arrive, 2 s in a row. */
const GUARDED_SHIFT: VariantInput['timeline'] = [
  {
    at: SHIFT_AT_S,
    type: 'weights.shift',
    target: 'edge',
    label: 'move fallback traffic to EKS (gated)',
    params: {
      weights: { 'fallback-old': 0, 'fallback-eks': 100 },
      gate: {
        condition: { kind: 'metric', metric: 'webhooks.received', where: { transport: 'xhr_streaming', deployment: 'fallback-eks' }, op: '>=', value: 1, forS: 2 },
        timeoutS: 10,
        onFail: 'halt',
      },
    },
  },
];

/** What operators watch once the lesson is learnt: missing fallback webhooks, per transport. */
const PER_TRANSPORT_ALERT = {
  id: 'webhook-check',
  title: 'A fallback (xhr_streaming) webhook missed its deadline',
  rule: { kind: 'threshold', metric: 'webhooks.missing', where: { transport: 'xhr_streaming' }, stat: 'sum', op: '>', value: 0, windowS: 5 },
} as const;

const STRICT = { ENV_STRICT: 'true' };

/** The candidate check's webhooks that a variant does not owe its customers (semantic-checks.ts). */
const CANDIDATE_REFUSED_TO_START = (['missing', 'duplicated', 'stray'] as const).map((check) => ({
  probe: 'eks-check',
  check,
  why:
    'ENV_STRICT makes the migrated pods refuse their configuration (exit 78), so the candidate check connects to nothing and ' +
    'causes no webhook to judge; the refusal is judged by the halted shift and by the client probes on the old servers.',
}));
const CANDIDATE_DROPS_WEBHOOKS = [
  {
    probe: 'eks-check',
    check: 'missing' as const,
    why:
      'The candidate is the migration as it happened (the misnamed variable disables its stream writes): its fallback webhooks go ' +
      'missing by design, and seeing that is what the check is for. Its duplicates and strays are still judged.',
  },
];

export default defineScenario({
  id: 'fallback-webhooks',
  title: 'All clusters but mt1, 2022-08: no webhooks for fallback clients after a migration',
  postmortem: '004_757aefcf82bc6aba.txt',
  summary:
    'The HTTP-fallback servers move to new infrastructure where a wrongly named variable leaves webhook stream writes disabled. ' +
    'WebSocket clients\' webhooks keep arriving; fallback clients\' never do, and only a per-transport webhook check would notice.',
  seed: 2022,
  durationS: 40,
  topology: {
    deployments: [
      { name: 'ws', roles: ['ws', 'rest'], replicas: 1, appVersion: 'v1', memoryMb: 160, cpus: 0.5, env: { WEBHOOK_STREAM_ENABLED: 'true' } },
      // The old self-managed fallback servers: correctly configured.
      { name: 'fallback-old', roles: ['fallback'], replicas: 1, appVersion: 'v1', memoryMb: 128, cpus: 0.25, env: { FALLBACK_STREAM_WRITES: 'true' } },
      // The new fallback servers on EKS, as migrated.
      { ...EKS, env: MIGRATED_ENV },
    ],
    webhooks: { enabled: true, deadlineS: 5 },
    edge: { keepAlive: true, weights: { ws: 100, 'fallback-old': 100, 'fallback-eks': 0 }, healthCheck: { intervalS: 1, fall: 2, rise: 1 } },
  },
  load: {},
  probes: [
    { kind: 'webhook', id: 'ws-clients', transport: 'ws', events: [...EVENTS], ratePerS: 2 },
    { kind: 'webhook', id: 'xhr-streaming-clients', transport: 'xhr_streaming', events: [...EVENTS], ratePerS: 2 },
    { kind: 'webhook', id: 'xhr-polling-clients', transport: 'xhr_polling', events: [...EVENTS], ratePerS: 1 },
  ],
  timeline: [
    { at: SHIFT_AT_S, type: 'weights.shift', target: 'edge', params: { weights: { 'fallback-old': 0, 'fallback-eks': 100 } }, label: 'move fallback traffic to EKS' },
  ],
  alerts: [
    // What was watched in 2022: webhooks are flowing (all transports together).
    {
      id: 'webhook-check',
      title: 'No webhook delivered for 10 s (all transports together)',
      rule: { kind: 'threshold', metric: 'webhooks.received', stat: 'sum', op: '<', value: 1, windowS: 10 },
    },
  ],
  slos: [
    {
      id: 'webhooks-ws',
      title: 'WebSocket clients\' webhooks delivered within 5 s',
      why: 'Every webhook a client causes must reach the customer\'s endpoint; 5 s leaves the dispatcher room for a retry.',
      kind: 'ratio',
      numerator: { metric: 'webhooks.received', where: { transport: 'ws', deployment: 'edge' } },
      denominator: { metric: 'webhooks.expected', where: { transport: 'ws', deployment: 'edge' } },
      threshold: 'rate>=1',
    },
    {
      id: 'webhooks-xhr-streaming',
      title: 'xhr_streaming clients\' webhooks delivered within 5 s',
      why: 'Completeness is judged per transport: a whole-fleet ratio would hide a transport that delivers nothing (the report\'s 16 days).',
      kind: 'ratio',
      numerator: { metric: 'webhooks.received', where: fallbackClients('xhr_streaming') },
      denominator: { metric: 'webhooks.expected', where: fallbackClients('xhr_streaming') },
      threshold: 'rate>=1',
    },
    {
      id: 'webhooks-xhr-polling',
      title: 'xhr_polling clients\' webhooks delivered within 5 s',
      why: 'The other fallback transport: the report names SockJS and XHR clients alike.',
      kind: 'ratio',
      numerator: { metric: 'webhooks.received', where: fallbackClients('xhr_polling') },
      denominator: { metric: 'webhooks.expected', where: fallbackClients('xhr_polling') },
      threshold: 'rate>=1',
    },
    {
      id: 'detection',
      title: 'Seconds from the misconfigured servers taking fallback traffic to an alert',
      why: 'In 2022 customers noticed after 16 days. A per-transport check fires within its 5 s window after the 5 s deadline; 15 s allows for that.',
      kind: 'detection',
      alert: 'webhook-check',
      fault: { type: 'action.applied', where: { action: 'weights.shift', 'evidence.shifted': true } },
      whenNoFault: 'pass',
      threshold: 'value<=15',
    },
  ],
  variants: {
    incident: {
      description: 'The migrated fallback servers take all fallback traffic; only an all-transport webhook alert is watched.',
      expect: { breach: ['webhooks-xhr-streaming', 'webhooks-xhr-polling', 'detection'] },
    },
    remediated: {
      description:
        'Configuration validated at start (ENV_STRICT: the migrated pods refuse to start) and the move gated on a per-transport ' +
        'webhook check of the new deployment: the roll-out is refused and fallback traffic stays on the old servers.',
      topology: {
        deployments: [
          { name: 'ws', env: STRICT },
          { name: 'fallback-old', env: STRICT },
          { name: 'fallback-eks', env: STRICT },
        ],
      },
      probes: [CANDIDATE_CHECK],
      timeline: GUARDED_SHIFT,
      alerts: [PER_TRANSPORT_ALERT],
      semantics: { exempt: CANDIDATE_REFUSED_TO_START },
    },
    'check-only': {
      description:
        'No configuration validation: the migrated pods start and silently drop fallback webhooks. The per-transport webhook ' +
        'check alone refuses the move (and its alert fires on the candidate, before any client is on it).',
      expect: { hold: 'all' },
      probes: [CANDIDATE_CHECK],
      timeline: GUARDED_SHIFT,
      alerts: [PER_TRANSPORT_ALERT],
      semantics: { exempt: CANDIDATE_DROPS_WEBHOOKS },
    },
    'correct-migration': {
      description:
        'Control: the same guarded, validated roll-out of a correctly configured deployment passes its gate and takes the traffic, ' +
        'so the gate and the validation refuse the misconfiguration, not every roll-out.',
      expect: { hold: 'all' },
      topology: {
        deployments: [
          { name: 'ws', env: STRICT },
          { name: 'fallback-old', env: STRICT },
          // Replaced whole: env objects merge key by key, and the misnamed variable must be gone, not empty.
          { name: 'fallback-eks', $remove: true },
          { ...EKS, env: { FALLBACK_STREAM_WRITES: 'true', ...STRICT } },
        ],
      },
      probes: [CANDIDATE_CHECK],
      timeline: GUARDED_SHIFT,
      alerts: [PER_TRANSPORT_ALERT],
      // No fault here: nothing for the alert to detect.
      slos: [{ id: 'detection', $remove: true }],
    },
  },
});
