import { podMemoryFit, sizePodMemoryMb } from '../harness/capacity/sizing.ts';
import { defineScenario } from '../harness/index.ts';
import { AT_SCALE_EDGE, AT_SCALE_K6_SOCKETS, AT_SCALE_MAX_CONNECTIONS, atScaleK6, k6DropsSlo } from './at-scale.ts';

// 2021-12, mt1: weighted DNS moves 20%, then 70% of new WebSocket connections to a new deployment
// whose pods have too little memory for their share, no liveness probe and no restart. As
// connections concentrate, the kernel OOM-kills the pods; their clients reconnect at once onto the
// survivors, which die sooner; with every new pod dead the edge answers 5xx to 70% of new
// connections, clients retry immediately, some fall back and the fallback spikes. Nobody is paged:
// the only unhealthy-pod alert watches the legacy fleet. Someone notices and moves the weights to old.
//
// Time is compressed for the roll-out (the day at 20% takes 9 s, the afternoon at 70% about
// 24 s); the outage itself (reconnects, health checks, the weights moved) runs at its real pace.

/** What every connection costs a pod of this app (old and new alike): 1 MiB held per connection. */
const RETAINED_BYTES = String(1024 * 1024);

/**
 * The defect: the new pods' memory limit. At 19 MiB base and 0.99 MiB per connection (measured,
 * below) it holds about 61 connections; at 70% the pods' share passes that about 24 s after the shift.
 */
const NEW_POD_MEMORY_MB = 80;

/**
 * Remediated memory limit per new pod, from the capacity model (`harness capacity --save-model` →
 * capacity/model.json, measured with the same 1 MiB per connection; docs/capacity.md). Sized N+1:
 * 70% of the 450 clients on the 2 new pods left when one is lost = 158 connections each, with the
 * model's 20% headroom: 17.5 MiB + 158 / 0.8 × 1.0 MiB ≈ 216 MiB (the earlier hand estimate was 200).
 */
const NEW_POD_PLANNED_CONNECTIONS = Math.ceil((0.7 * 450) / 2);
const NEW_POD_MEMORY_MB_REMEDIATED = sizePodMemoryMb({ role: 'ws', connections: NEW_POD_PLANNED_CONNECTIONS, retainedBytesPerConnection: 1024 * 1024 });
/** The model's fit the size came from: what a pod holding N connections should use. */
const WS_MEMORY_FIT = podMemoryFit({ role: 'ws', retainedBytesPerConnection: 1024 * 1024 });

const CLIENTS = 450;
/** Clients keep arriving (new connections are what DNS weights move) for this long. */
const ARRIVALS_S = 45;

/** Replay seconds of the report's moments. */
const T = {
  /** Dec 16 13:00: gradual switch, targeting 20%. */
  shift20: 1,
  /** Dec 17 13:00, after a day of good metrics: targeting 70%. */
  shift70: 10,
  /** About 18:05: someone noticed; DNS moved 100% to the healthy deployment (about 15 s after the last kill). */
  allToOld: 50,
};

/**
 * The remediated replay runs on after the roll-out with every client connected and churning: a
 * steady window (MEMORY_WINDOW) in which memory may grow only with open connections. A pod that
 * keeps closed connections' state grows with every client that left and came back.
 */
const REMEDIATED_DURATION_S = 110;
/**
 * From just after the shift to 70%: every churned connection frees its 1 MiB only when V8 collects
 * it, so a pod's working set first climbs by the garbage V8 lets pile up (about 80 MB, measured)
 * and then saws around a plateau; churn starts early so the plateau is reached before the window.
 */
const CHURN = { sharePerS: 0.1, fromS: T.shift70 + 2, awayMs: 1000 };
const MEMORY_WINDOW = { from: 60, to: REMEDIATED_DURATION_S };
/**
 * The remediated pods sample their live heap (a forced full collection, then the heap in use) every
 * 2 s: about 25 samples per pod in the window.
 */
const LIVE_HEAP_ENV = { LIVE_HEAP_SAMPLE_MS: '2000' };
const LIVE_HEAP_MIN_SAMPLES = 12;

// ---------------------------------------------------------------------------------------------------
// At scale (`harness run oom-cascade --variant at-scale`): the same story with 10,000+ connections
// and the server's natural per-connection memory (no RETAINED_BYTES_PER_CONNECTION padding), so the
// cascade happens because real connections filled real pods. The bulk is k6 (ws-subscribers.ts, many
// sockets per VU); the Node population keeps the 450 clients whose behaviour the SLOs judge
// (immediate retries, fallback after 7 failures). Two edge processes: one HAProxy cannot proxy
// 10,000 connections within 20,000 descriptors (docs/scaling.md, "On this machine").

/**
 * The natural capacity model (capacity/model-natural.json: no padding, measured to 11,765
 * connections per pod): 21.0 MiB + 6.6 KiB per WebSocket connection. A pod measured here alone
 * (k6 sockets straight to it, 0 → 6,000 over 30 s) read 6.6–6.9 KiB per connection, with 24–27 MiB
 * at a few hundred: the linear fit's base is below a small pod's real footprint by 4–6 MiB
 * (docs/scenarios/oom-cascade.md, "At scale").
 */
const NATURAL_WS_FIT = podMemoryFit({ role: 'ws', retainedBytesPerConnection: 0 });

/** The Node clients whose reconnect and fallback behaviour the SLOs judge (as in the base), and the k6 bulk. */
const AT_SCALE_CLIENTS = CLIENTS + AT_SCALE_K6_SOCKETS;

/**
 * The new pods' share, arrivals spread evenly over ARRIVALS_S: 20% of those before the 70% shift,
 * 70% of those after, over 3 pods: (0.2 × 10/45 + 0.7 × (t − 10)/45) × 10,450 / 3, which is about
 * 150 per pod at the shift and 2,050 once all have arrived. The defect at scale: 32 MiB, which the
 * model says holds (32 − 21.0) / 6.6 KiB ≈ 1,710 connections (reached at about 39 s) and the pod
 * measured alone about 1,000 (26 s): either way the pods pass it before the arrivals end, and each
 * kill moves its clients onto the survivors. At the 20% step (about 150 each, 25–26 MiB measured)
 * they are 6 MiB from it.
 */
const NEW_POD_MEMORY_MB_AT_SCALE = 32;
/**
 * Remediated, sized as the base's from the committed model, here the natural one: N+1, 70% of all
 * clients on the 2 new pods left when one is lost, with the model's 20% headroom:
 * 21.0 + 3,658 / 0.8 × 6.6 KiB ≈ 50.4 → 56 MiB (a multiple of 8).
 */
const NEW_POD_PLANNED_CONNECTIONS_AT_SCALE = Math.ceil((0.7 * AT_SCALE_CLIENTS) / 2);
const NEW_POD_MEMORY_MB_REMEDIATED_AT_SCALE = sizePodMemoryMb({ role: 'ws', connections: NEW_POD_PLANNED_CONNECTIONS_AT_SCALE, retainedBytesPerConnection: 0 });
/** No padding: every pod's memory is what its connections really cost. */
const NATURAL_ENV = { RETAINED_BYTES_PER_CONNECTION: '0' };

/**
 * What the k6 bulk must show, judged like the Node clients (its own k6.pusher_* counters): the
 * incident drops and refuses them too, the remediation neither.
 */
const AT_SCALE_K6_SLOS = [
  k6DropsSlo('As `drops`, for the 10,000 k6 sockets: a healthy deployment closes none; 1% allows a stray error. An OOM kill drops every socket of its pod.'),
  {
    id: 'k6-connect-failures',
    title: 'Share of k6 connection attempts that failed (503 from the edge, refused, dropped before established)',
    why: 'As `edge-503`, for the bulk: with every new pod dead the edge answers 503 to 70% of new connections; 1% allows a pod restarting under its health check.',
    kind: 'ratio' as const,
    numerator: { metric: 'k6.pusher_connect_failures' },
    denominator: { metric: 'k6.pusher_connect_attempts' },
    threshold: 'rate<=0.01',
  },
];

/** The remediated roll-outs (as written and at scale): nobody needs to notice anything, the roll-out simply ends at 70%. */
const ROLLOUT_ENDS_AT_70 = [
  { at: T.shift20, type: 'weights.shift' as const, target: 'edge', params: { weights: { old: 80, new: 20 } }, label: 'DNS 20% to new' },
  { at: T.shift70, type: 'weights.shift' as const, target: 'edge', params: { weights: { old: 30, new: 70 } }, label: 'DNS 70% to new' },
];
/** The remediated clients: back off with jitter instead of retrying at once. */
const BACKOFF_WITH_JITTER = { strategy: 'backoff' as const, baseMs: 500, maxMs: 5000, jitter: true, fallbackAfterFailures: 7 };
/** The report's own action, in every remediation: page on an unhealthy pod of any deployment. */
const PAGE_ON_UNHEALTHY_POD = [{ id: 'pods-unhealthy', title: 'A public pod (any deployment) is not ready', rule: { kind: 'pod-unhealthy' as const }, forS: 3 }];

export default defineScenario({
  id: 'oom-cascade',
  title: 'mt1 2021-12: new pods OOM-killed one by one as traffic concentrates',
  postmortem: '001_47be3c2ebe891704.txt',
  summary:
    'Weighted DNS moves 20%, then 70% of new connections to a deployment whose pods cannot hold their share in memory, ' +
    'with no liveness probe and no restart. The kernel OOM-kills them one after another, their clients reconnect onto the ' +
    'survivors, and when all are dead the edge refuses 70% of connections; nobody is paged.',
  seed: 1217,
  durationS: 70,
  topology: {
    deployments: [
      // The legacy fleet: sized for everyone; also serves REST, where the probes publish.
      {
        name: 'old',
        roles: ['ws', 'rest'],
        replicas: 2,
        appVersion: 'v1',
        memoryMb: 640,
        cpus: 0.5,
        restartPolicy: 'always',
        livenessProbe: { periodS: 1, failureThreshold: 3 },
        env: { RETAINED_BYTES_PER_CONNECTION: RETAINED_BYTES },
      },
      {
        name: 'new',
        roles: ['ws'],
        replicas: 3,
        appVersion: 'v1',
        memoryMb: NEW_POD_MEMORY_MB,
        cpus: 0.5,
        // No restart policy and no liveness probe: a killed pod stays dead.
        restartPolicy: 'no',
        env: { RETAINED_BYTES_PER_CONNECTION: RETAINED_BYTES },
      },
      {
        name: 'fallback',
        roles: ['fallback'],
        replicas: 1,
        appVersion: 'v1',
        memoryMb: 640,
        cpus: 0.5,
        env: {
          RETAINED_BYTES_PER_CONNECTION: RETAINED_BYTES,
          // The sockJS fleet had capacity for its usual few clients, not for a stampede.
          FALLBACK_MAX_CONCURRENT: '1',
          FALLBACK_REQUEST_COST_MS: '200',
          FALLBACK_QUEUE_LIMIT: '200',
        },
      },
    ],
    edge: { keepAlive: true, weights: { old: 100, new: 0 }, healthCheck: { intervalS: 1, fall: 2, rise: 2 } },
  },
  load: {
    clients: {
      count: CLIENTS,
      // "Connections were re-tried immediately"; after 7 WebSocket failures in a row a client tries
      // the HTTP fallback, so at a 70% failure rate about 8% fall back (the report: fewer than 10%).
      reconnect: { strategy: 'immediate', baseMs: 100, maxMs: 1000, jitter: false, fallbackAfterFailures: 7 },
    },
    ramp: { upS: ARRIVALS_S },
    maxConnections: 1000,
  },
  timeline: [
    { at: T.shift20, type: 'weights.shift', target: 'edge', params: { weights: { old: 80, new: 20 } }, label: 'DNS 20% to new' },
    { at: T.shift70, type: 'weights.shift', target: 'edge', params: { weights: { old: 30, new: 70 } }, label: 'DNS 70% to new' },
    { at: T.allToOld, type: 'weights.shift', target: 'edge', params: { weights: { old: 100, new: 0 } }, label: 'noticed: DNS 100% to old' },
  ],
  probes: [
    // A user's view: WebSocket through the public endpoint.
    { kind: 'delivery', id: 'edge-ws', transport: 'ws', ratePerS: 5 },
    // The fallback alone: what clients that fell back experience.
    { kind: 'delivery', id: 'fallback-polling', transport: 'xhr_polling', deployment: 'fallback', ratePerS: 5 },
  ],
  // How far from red: `harness margin oom-cascade --axis clients` (docs/scenarios/oom-cascade.md, "Margins").
  axes: [
    {
      name: 'clients',
      kind: 'clients',
      range: { min: 0.5, max: 3 },
      resolution: 0.05,
      // load.maxConnections is the harness's own bound on the load, not a pod's cap: it grows with
      // the clients. The pods' memory does not: that is what is being pushed.
      scaleCaps: { loadMaxConnections: true },
      sizedByModel: 'new',
      why:
        'The next roll-out brings more clients than this one. The remediated limit comes from the capacity model with 20% headroom: ' +
        'how many more clients before a new pod is OOM-killed, and does that match the model? For the incident: at how much less load ' +
        'the cascade would still have happened.',
    },
    {
      name: 'memory',
      kind: 'memory',
      deployments: ['new'],
      range: { min: 1, max: 3 },
      resolution: 0.05,
      why: 'A new build that holds more per connection is a smaller pod for the same load: how much costlier can a connection get?',
    },
    {
      name: 'reconnect',
      kind: 'reconnect',
      range: { min: 1, max: 10 },
      resolution: 0.25,
      why: 'The 2021 clients retried at once; a client release that backs off less brings the stampede back sooner.',
    },
    {
      name: 'fallback',
      kind: 'fallback-eagerness',
      // 7 failures in a row → 1 at ×7: from the report's "fewer than 10%" falling back towards most of them.
      range: { min: 1, max: 7 },
      resolution: 0.25,
      why: 'About 8% of retrying clients fell back in 2021; a client that gives up on WebSocket sooner sends more of them to the small fallback.',
    },
    {
      name: 'weight-step',
      kind: 'weight-step',
      deployment: 'new',
      // ×1.4: the 70% step becomes 98%.
      range: { min: 0.5, max: 1.4 },
      resolution: 0.05,
      why: 'The next roll-out may move more in one step than 20% then 70%.',
    },
  ],
  // The monitors of 2021: unhealthy pods paged only for the legacy fleet.
  alerts: [{ id: 'old-pods-unhealthy', title: 'A pod of the legacy deployment is not ready', rule: { kind: 'pod-unhealthy', deployment: 'old' }, forS: 3 }],
  slos: [
    {
      id: 'drops',
      title: 'Share of established client connections that were dropped',
      why: 'A healthy deployment closes connections only when clients leave; 1% allows for a stray network error. The report: 50% of all connections on mt1 were closed at once.',
      kind: 'ratio',
      numerator: { metric: 'connections.dropped', where: { source: 'client' } },
      denominator: { metric: 'connect.successes', where: { source: 'client' } },
      threshold: 'rate<=0.01',
    },
    {
      id: 'edge-503',
      title: 'Client connection attempts answered 503 by the edge (HAProxy: no live pod behind it)',
      why:
        'The edge answers 503 only when the deployment it picked has no live pod; 1% allows a pod restarting under its health ' +
        'check. The report: 50% of reconnects got 502 from its load balancer (HAProxy says 503 for this, 502 for a pod dying mid-answer).',
      kind: 'ratio',
      numerator: { metric: 'connect.failures', where: { source: 'client', reason: 'http:503' } },
      denominator: { metric: 'connect.attempts', where: { source: 'client' } },
      threshold: 'rate<=0.01',
    },
    {
      id: 'fallback-latency',
      title: 'Probe delivery latency p99 on the fallback (xhr_polling)',
      why: 'Each poll costs the fallback 200 ms of server time, so a message can wait one poll cycle; 1.5 s is that with generous margin. A stampede queues every poll.',
      kind: 'trend',
      metric: 'delivery.latency',
      where: { transport: 'xhr_polling' },
      threshold: 'p(99)<1500',
    },
    {
      id: 'reconnected',
      title: 'Seconds from the first dropped client until as many connections are open as before the drop',
      why:
        'With a liveness probe a killed pod is back within about 6 s (3 failed probes at 1 s, a restart, 2 good edge checks); ' +
        '10 s bounds that. The report: clients retried for up to 5 minutes.',
      kind: 'recovery',
      from: { type: 'connect.closed', where: { abnormal: true, source: 'client' } },
      // Every pod's own count of open connections, all transports: clients back on old or on the fallback count.
      signal: { kind: 'gauge', metric: 'connections', baselineS: 3 },
      level: 1,
      holdS: 3,
      whenNoFault: 'pass',
      threshold: 'value<=10',
    },
    {
      id: 'detection',
      title: 'Seconds from the first OOM-killed pod to a page',
      why: 'The report\'s own action: page on unhealthy public nodes. A pod-unhealthy alert holding 3 s on a 1 s sampler fires within 5 s; 10 s is the bound the fix promises.',
      kind: 'detection',
      alert: 'old-pods-unhealthy',
      // Docker's OOM flag, not the sampled state: a pod the restart policy brings back within the 1 s
      // sampler interval is never sampled dead, and its kill must still start the clock.
      fault: { type: 'pod.sample', where: { oomKilled: true } },
      whenNoFault: 'pass',
      threshold: 'value<=10',
    },
  ],
  variants: {
    incident: {
      description: 'New pods limited to 80 MB (about 60 connections each), no liveness probe, no restart; clients retry immediately; the weights move back only when someone notices.',
      expect: { breach: ['drops', 'edge-503', 'detection'] },
    },
    remediated: {
      description: 'New pods sized from the measured per-connection cost with headroom, restarted by a liveness probe, paged on unhealthy pods of any deployment within 10 s; clients back off with jitter.',
      topology: {
        deployments: [
          { name: 'old', env: LIVE_HEAP_ENV },
          { name: 'new', memoryMb: NEW_POD_MEMORY_MB_REMEDIATED, restartPolicy: 'always', livenessProbe: { periodS: 1, failureThreshold: 3 }, env: LIVE_HEAP_ENV },
          { name: 'fallback', env: LIVE_HEAP_ENV },
        ],
      },
      durationS: REMEDIATED_DURATION_S,
      load: { clients: { reconnect: BACKOFF_WITH_JITTER, churn: CHURN } },
      // Nobody needs to notice anything: the roll-out simply ends at 70%.
      timeline: ROLLOUT_ENDS_AT_70,
      alerts: PAGE_ON_UNHEALTHY_POD,
      // The fix is a memory size: reach it on purpose. One new pod is filled to the connections it was
      // sized for before any client is routed there (the first shift is at 1 s), held 3 s, let go.
      probes: [
        {
          kind: 'memory-headroom',
          id: 'new-memory',
          deployment: 'new',
          connections: NEW_POD_PLANNED_CONNECTIONS,
          memoryMb: NEW_POD_MEMORY_MB_REMEDIATED,
          ...WS_MEMORY_FIT,
          atS: 0,
          holdS: 3,
          batch: 40,
        },
      ],
      slos: [
        { id: 'detection', alert: 'pods-unhealthy' },
        {
          id: 'new-memory-headroom',
          title: 'A new pod holds the connections it was sized for, without an OOM kill and with the planned headroom free',
          why:
            `The fix sizes new pods from the capacity model: ${NEW_POD_PLANNED_CONNECTIONS} connections each (N+1) with 20% headroom. ` +
            'Filled to exactly that, a pod must not be killed and its peak working set must stay near what the model predicts, or ' +
            'the headroom the size promises is not there. The fit\'s largest residual over its 28 measurements was 2.2 MiB; 6 MiB ' +
            'allows that, the 1 s sampler catching a garbage-collection peak, and the few clients routed to the pod during the hold ' +
            '(counted by the pod\'s own gauge and predicted for) — still well inside the ~40 MiB the size keeps free.',
          kind: 'limit',
          probe: 'new-memory',
          threshold: 'value<=6',
        },
        {
          id: 'memory-under-churn',
          title: 'Live heap growth per minute of every pod together, at a constant number of open connections, while 10% of clients leave and come back each second',
          why:
            'A pod that keeps the state of connections that closed grows with every client that left and came back. Judged on the ' +
            'live heap: every pod forces a full collection every 2 s and reports the heap still in use. The 1 MiB padding of each ' +
            'connection is a Buffer, outside the heap, so its garbage, which saws the working set by ±30 MB/min from run to run, ' +
            'does not reach this signal. Measured on the live heap (docs/scenarios/oom-cascade.md): the server as it is -1.2 MB/min; ' +
            'mutation 04 (the hub keeps every closed connection, about 4.3 KB of heap each at 45 departures/s, about 12 MB/min ' +
            'predicted) +10.2. 5 MB/min, as in connection-limit, is four times the unmutated slope\'s size and half the leak.',
          kind: 'gauge-trend',
          metric: 'pod.heapLiveMb',
          per: 'all',
          holding: 'connections',
          window: MEMORY_WINDOW,
          minSamples: LIVE_HEAP_MIN_SAMPLES,
          threshold: 'value<=5',
        },
        {
          id: 'working-set-under-churn',
          title: 'Working-set growth per minute of every pod together, at a constant number of open connections, under churn',
          why:
            'What the live heap cannot see: a pod that keeps the padding (external memory) of connections that closed would grow ' +
            'by 1 MiB × 45 departures/s, about 2,700 MB/min. The working set saws with the padding\'s garbage: measured -9.2, ' +
            '+30.2 (summed per second, before the live-heap sampling) and +56.1 MB/min (each pod fitted on its own samples, with ' +
            'the sampling\'s forced collections) on the server as it is. 300 MB/min is five times the highest and a ninth of that leak.',
          kind: 'gauge-trend',
          metric: 'pod.memoryMb',
          per: 'all',
          holding: 'connections',
          window: MEMORY_WINDOW,
          threshold: 'value<=300',
        },
      ],
    },
    'incident-at-scale': {
      description: `At scale: ${AT_SCALE_CLIENTS.toLocaleString('en')} clients (${CLIENTS} Node, ${AT_SCALE_K6_SOCKETS.toLocaleString('en')} k6 sockets) through 2 edge processes, natural memory; new pods limited to ${NEW_POD_MEMORY_MB_AT_SCALE} MB (1,000–1,790 connections each), no liveness probe, no restart; every client retries at once.`,
      expect: { breach: ['drops', 'edge-503', 'detection', 'k6-drops', 'k6-connect-failures'] },
      topology: {
        deployments: [
          { name: 'old', env: NATURAL_ENV },
          { name: 'new', memoryMb: NEW_POD_MEMORY_MB_AT_SCALE, env: NATURAL_ENV },
          { name: 'fallback', env: NATURAL_ENV },
        ],
        edge: AT_SCALE_EDGE,
      },
      // "Re-tried immediately": the k6 sockets reopen 100 ms after a close, the Node clients' floor.
      load: { maxConnections: AT_SCALE_MAX_CONNECTIONS, k6: atScaleK6({ rampS: ARRIVALS_S, durationS: 70, reconnect: { RECONNECT_DELAY_MS: 100 } }) },
      slos: AT_SCALE_K6_SLOS,
    },
    'remediated-at-scale': {
      expect: { hold: 'all' },
      description: `At scale, the remediation: new pods sized ${NEW_POD_MEMORY_MB_REMEDIATED_AT_SCALE} MB from the natural capacity model (${NEW_POD_PLANNED_CONNECTIONS_AT_SCALE.toLocaleString('en')} connections, N+1, 20% headroom), liveness probe and restart, paged on any unhealthy pod; Node and k6 clients back off with jitter.`,
      topology: {
        deployments: [
          { name: 'old', env: NATURAL_ENV },
          { name: 'new', memoryMb: NEW_POD_MEMORY_MB_REMEDIATED_AT_SCALE, restartPolicy: 'always', livenessProbe: { periodS: 1, failureThreshold: 3 }, env: NATURAL_ENV },
          { name: 'fallback', env: NATURAL_ENV },
        ],
        edge: AT_SCALE_EDGE,
      },
      // No churn and no memory-under-churn window: 10% of 10,450 clients leaving and coming back
      // each second is 1,000 reconnects per second on 2 cores, for 40 more seconds of run.
      load: {
        maxConnections: AT_SCALE_MAX_CONNECTIONS,
        clients: { reconnect: BACKOFF_WITH_JITTER },
        k6: atScaleK6({ rampS: ARRIVALS_S, durationS: 70, reconnect: { RECONNECT_DELAY_MS: 500, RECONNECT_MAX_DELAY_MS: 5000, RECONNECT_JITTER: true } }),
      },
      timeline: ROLLOUT_ENDS_AT_70,
      alerts: PAGE_ON_UNHEALTHY_POD,
      // The natural size reached on purpose, as in the base: one new pod filled to the connections it
      // was sized for before the roll-out sends it much, held 3 s, let go.
      probes: [
        {
          kind: 'memory-headroom',
          id: 'new-memory',
          deployment: 'new',
          connections: NEW_POD_PLANNED_CONNECTIONS_AT_SCALE,
          memoryMb: NEW_POD_MEMORY_MB_REMEDIATED_AT_SCALE,
          ...NATURAL_WS_FIT,
          atS: 0,
          holdS: 3,
          batch: 100,
        },
      ],
      slos: [
        { id: 'detection', alert: 'pods-unhealthy' },
        {
          id: 'new-memory-headroom',
          title: 'A new pod holds the connections it was sized for at natural cost, without an OOM kill and with the planned headroom free',
          why:
            `Sized from the natural model: ${NEW_POD_PLANNED_CONNECTIONS_AT_SCALE.toLocaleString('en')} connections (N+1) with 20% headroom. ` +
            'Filled to exactly that, the pod must not be killed and its peak working set must stay near the model\'s prediction. The ' +
            'model\'s largest residual over its 103 points was 5.1 MiB, and a pod measured alone sat 4–6 MiB over its line at a ' +
            'few hundred connections (the intercept is below a small pod\'s footprint); 8 MiB allows that, still inside the ' +
            'about 11.5 MiB the size keeps free. Over it, the headroom the size promises is not there. Measured: a 44.8 MiB peak at 3,778, -0.5 MiB ' +
            'from this model (docs/scenarios/oom-cascade.md, "At scale").',
          kind: 'limit',
          probe: 'new-memory',
          threshold: 'value<=8',
        },
        ...AT_SCALE_K6_SLOS,
      ],
    },
  },
});
