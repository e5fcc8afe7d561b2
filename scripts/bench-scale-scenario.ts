import { defineScenario } from '../harness/index.ts';

// The scenario `npm run bench:scale` replays at each size: BENCH_SCALE_CONNECTIONS WebSocket
// subscribers held by k6 (ws-subscribers.ts, many sockets per VU) through the edge onto plain ws pods,
// a handful of Node clients, REST publishes to the subscribers' channels and a delivery probe. No
// fault in the variant it replays (`remediated`): it measures what the harness costs (memory, CPU, history, judging) at that many connections.

const raw = process.env.BENCH_SCALE_CONNECTIONS ?? '1000';
const CONNECTIONS = Number(raw);
if (!Number.isInteger(CONNECTIONS) || CONNECTIONS < 100) throw new Error(`BENCH_SCALE_CONNECTIONS=${raw}: expected a whole number of connections, at least 100`);

const VUS = 10;
/** A pod of our server holds 2,500 connections well inside its memory and its 20,000 descriptors. */
const PODS = Math.max(2, Math.ceil(CONNECTIONS / 2500));
/** Sockets open evenly over the ramp, then held; the replay ends a hold after the ramp. */
const RAMP_S = 30;
/** One HAProxy process holds 8,000 proxied connections (two descriptors each, 20,000 per process): the bulk, the Node clients and the probe with room. */
const EDGE_PROCESSES = Math.max(1, Math.ceil((CONNECTIONS + 500) / 8000));
const HOLD_S = 30;
const DURATION_S = RAMP_S + HOLD_S;
const CHANNELS = 20;
const NODE_CLIENTS = 20;

export default defineScenario({
  id: 'bench-scale',
  title: `Scale benchmark: ${CONNECTIONS} connections`,
  // The incident whose scale this measures the harness at (EU 2021-09, connections per pod).
  postmortem: '000_96b6ce62bf45501e.txt',
  summary: `${CONNECTIONS} k6 WebSocket subscribers, ${NODE_CLIENTS} Node clients and a delivery probe on ${PODS} pods; publishes to the subscribers' channels. No fault.`,
  seed: 1,
  durationS: DURATION_S,
  topology: {
    deployments: [{ name: 'ws', roles: ['ws', 'rest'], replicas: PODS, appVersion: 'v1', memoryMb: 512, cpus: 0.5 }],
    edge: { keepAlive: true, processes: EDGE_PROCESSES, weights: { ws: 100 }, healthCheck: { intervalS: 1, fall: 2, rise: 2 } },
  },
  load: {
    k6: [
      {
        script: 'ws-subscribers.ts',
        vus: VUS,
        durationS: DURATION_S,
        params: { SOCKETS_PER_VU: Math.ceil(CONNECTIONS / VUS), CHANNELS, RAMP_S, RECONNECT: true, RECONNECT_DELAY_MS: 1000 },
      },
    ],
    publish: { ratePerS: 4, payloadBytes: 100, channels: CHANNELS },
    clients: { count: NODE_CLIENTS, reconnect: { strategy: 'backoff', baseMs: 300, maxMs: 3000, jitter: true } },
    ramp: { upS: 10 },
    maxConnections: CONNECTIONS + NODE_CLIENTS + 100,
  },
  probes: [{ kind: 'delivery', id: 'edge-ws', transport: 'ws', ratePerS: 5 }],
  slos: [
    {
      id: 'k6-connected',
      title: 'Every k6 subscriber connected',
      why: 'The benchmark measures the harness at this many connections: they must all have been open.',
      kind: 'count',
      metric: 'k6.pusher_connected',
      threshold: `count>=${Math.ceil(CONNECTIONS * 0.99)}`,
    },
    {
      id: 'k6-connect-p95',
      title: 'k6 WebSocket connect time, p95',
      why: 'A trend over the aggregated k6 stream: judged from its per-second HDR histograms.',
      kind: 'trend',
      metric: 'k6.ws_connecting',
      threshold: 'p(95)<2000',
    },
    {
      id: 'client-drops',
      title: 'Node clients dropped',
      why: 'Nothing is injected: a drop would be the machine, not the server.',
      kind: 'count',
      metric: 'connections.dropped',
      where: { source: 'client' },
      threshold: 'count==0',
    },
  ],
  // The benchmark replays `remediated`; every scenario also has an incident, here one pod killed.
  variants: {
    incident: {
      description: 'One pod SIGKILLed halfway through the hold: its clients drop.',
      timeline: [{ at: RAMP_S + HOLD_S / 2, type: 'pod.kill', target: 'ws/0', label: 'SIGKILL ws-1' }],
      expect: { breach: ['client-drops'] },
    },
    remediated: { description: `${CONNECTIONS} connections, no fault.`, expect: { hold: 'all' } },
  },
});
