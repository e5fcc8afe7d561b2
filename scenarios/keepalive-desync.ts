import { defineScenario, type VariantInput } from '../harness/index.ts';

// 2019-12 → 2020-01, mt1 REST API: the app server answers some rejected requests (here: event data
// over 10 KB, 413) twice. On a keep-alive connection the copy answers the next request, so a valid
// publish reads a 413 and a channel query reads another request's answer. For years a proxy that
// closed the server connection after each response hid it; the new infrastructure's proxies keep
// connections alive.
//
// Time is compressed: the report's weeks of gradual shifting are two steps a few seconds apart.
// Everything the clients see goes through the edge (HAProxy in HTTP mode). HAProxy drops a server
// connection that sends an unasked-for response, so through it *one* response is wrong per 413 (the
// next request on that server connection) and alignment returns; a probe pinned straight to a new
// pod reads the raw wire, where every later response is shifted by one and the extra response is
// visible as bytes no request asked for.

/** Every Nth request of the probes and of k6 carries 11 KB of event data (413 expected). */
const OVERSIZED_EVERY = 5;
const K6_OVERSIZED_EVERY = 10;

/** Client traffic only: what went through the edge (probes pinned to a pod are labelled with it). */
const THROUGH_EDGE = { deployment: 'edge' };

/**
 * Judged 5 s after the planned roll-back second. A late alert delays the roll-back into this window,
 * and then the variant goes red, as it should.
 */
const AFTER_ROLLBACK = { from: 20, to: 40 };

/** The report's lesson, replayed: roll back to the old instances the moment the alert fires. */
const ROLLBACK: VariantInput = {
  description:
    'Prefer roll back over fix forward: as soon as the misalignment alert fires, traffic goes back to the old instances, ' +
    'which were kept at full capacity. Judged from the roll-back on, plus how fast it restored alignment.',
  expect: { hold: 'all' },
  timeline: [
    { at: 8, type: 'weights.shift', target: 'edge', params: { weights: { old: 50, new: 50 } }, label: 'shift 50% of REST to new' },
    { at: 14, type: 'weights.shift', target: 'edge', params: { weights: { old: 0, new: 100 } }, label: 'all REST on new' },
    { at: 15, type: 'wait.until', target: 'rest-misaligned', params: { condition: { kind: 'alert.fired', alert: 'rest-misaligned' }, timeoutS: 15 }, label: 'misalignment alert' },
    { at: 15, type: 'weights.shift', target: 'edge', params: { weights: { old: 100, new: 0 } }, label: 'roll back: all REST to old' },
  ],
  slos: [
    { id: 'responses-aligned', kind: 'count', window: AFTER_ROLLBACK },
    { id: 'valid-4xx', kind: 'ratio', window: AFTER_ROLLBACK },
    { id: 'k6-unexpected', kind: 'count', window: AFTER_ROLLBACK },
    {
      id: 'rollback-restores',
      title: 'Seconds from the roll-back until every response through the edge is aligned again (5 s in a row)',
      why: 'With the old instances at full capacity a roll-back is one weight change; the report lost hours adding capacity first.',
      kind: 'recovery',
      from: { type: 'action.applied', where: { index: 3 } },
      signal: { kind: 'ratio', numerator: { metric: 'rest.aligned', where: THROUGH_EDGE }, denominator: { metric: 'rest.responses', where: THROUGH_EDGE } },
      level: 1,
      holdS: 5,
      threshold: 'value<=10',
    },
    {
      id: 'old-absorbs',
      title: 'p99 latency of REST through the edge once all of it is back on the old instances',
      why: 'Full capacity means the old instances take all traffic at once without queueing; 250 ms is what an app server\'s publish may cost.',
      kind: 'trend',
      metric: 'rest.latency',
      where: THROUGH_EDGE,
      window: AFTER_ROLLBACK,
      threshold: 'p(99)<250',
    },
  ],
};

export default defineScenario({
  id: 'keepalive-desync',
  title: 'mt1 2020-01: a 4XX sent twice shifts keep-alive responses',
  postmortem: '003_a3dee359abf15a7d.txt',
  summary:
    'REST traffic moves to new instances whose server sends a rejected request\'s 413 twice. Behind a keep-alive edge ' +
    'the copy answers the next request: valid publishes see 4XX and channel queries read another request\'s answer. ' +
    'Behind a proxy that closes after each response the same defect stays invisible.',
  seed: 2020,
  durationS: 40,
  topology: {
    deployments: [
      // The previous infrastructure: healthy, and kept at full capacity (two pods) throughout.
      { name: 'old', roles: ['rest'], replicas: 2, appVersion: 'v1', memoryMb: 128, cpus: 0.25 },
      // The new infrastructure's processes: the double-response defect.
      { name: 'new', roles: ['rest'], replicas: 2, appVersion: 'v1', memoryMb: 128, cpus: 0.25, env: { KEEPALIVE_DOUBLE_4XX: 'true' } },
    ],
    // The new infrastructure's proxies "all of which respect Keep-Alive".
    edge: { keepAlive: true, weights: { old: 100, new: 0 }, healthCheck: { intervalS: 1, fall: 2, rise: 1 } },
  },
  load: {
    // The bulk publishers: k6 http with keep-alive, every 10th publish oversized.
    k6: [
      {
        script: 'rest-publish.ts',
        vus: 4,
        durationS: 36,
        params: { RATE_PER_S: 20, PAYLOAD_BYTES: 200, CHANNELS: 4, OVERSIZED_EVERY: K6_OVERSIZED_EVERY, KEEP_ALIVE: true },
      },
    ],
  },
  probes: [
    // A customer's app server: the `pusher` npm client on a keep-alive agent, through the edge.
    { kind: 'rest', id: 'edge-pusher', client: 'pusher', ratePerS: 5, keepAlive: true, oversizedEvery: OVERSIZED_EVERY },
    // The same traffic read byte by byte, so the report can show what came back on the wire.
    { kind: 'rest', id: 'edge-raw', ratePerS: 8, keepAlive: true, oversizedEvery: OVERSIZED_EVERY },
    // Straight to a new pod with keep-alive: the app server's own wire, no proxy in between.
    { kind: 'rest', id: 'new-direct', deployment: 'new', ratePerS: 4, keepAlive: true, oversizedEvery: OVERSIZED_EVERY },
  ],
  timeline: [
    { at: 8, type: 'weights.shift', target: 'edge', params: { weights: { old: 50, new: 50 } }, label: 'shift 50% of REST to new' },
    { at: 14, type: 'weights.shift', target: 'edge', params: { weights: { old: 0, new: 100 } }, label: 'all REST on new' },
  ],
  alerts: [
    {
      id: 'rest-misaligned',
      title: 'A REST response through the edge did not belong to its request',
      rule: { kind: 'threshold', metric: 'rest.misaligned', where: THROUGH_EDGE, stat: 'sum', op: '>', value: 0, windowS: 5 },
    },
  ],
  slos: [
    {
      id: 'responses-aligned',
      title: 'Responses through the edge that answered another request',
      why: 'A response to another request is always wrong, whatever its status: one is a customer reading someone else\'s answer.',
      kind: 'count',
      metric: 'rest.misaligned',
      where: THROUGH_EDGE,
      threshold: 'count==0',
    },
    {
      id: 'valid-4xx',
      title: 'Valid probe requests answered with a 4XX',
      why: 'A signed request with data under 10 KB has no reason to be refused; 1% leaves room for nothing but noise, and a healthy run has none.',
      kind: 'ratio',
      numerator: { metric: 'rest.valid4xx', where: THROUGH_EDGE },
      denominator: { metric: 'rest.valid', where: THROUGH_EDGE },
      threshold: 'rate<0.01',
    },
    {
      id: 'k6-unexpected',
      title: 'k6 publishes answered with the wrong status (valid ≠ 200, oversized ≠ 413)',
      why: 'The bulk publishers are the report\'s customers: the ones who saw spurious 413s. Every answer must be the one its request deserves.',
      kind: 'count',
      metric: 'k6.pusher_publish_unexpected',
      threshold: 'count==0',
    },
    {
      id: 'rest-5xx',
      title: 'REST responses through the edge with a 5XX status',
      why: 'The report\'s second symptom (the fix-forward proxy produced 5XX); 1% is the error budget of a REST API.',
      kind: 'ratio',
      numerator: { metric: 'rest.status5xx', where: THROUGH_EDGE },
      denominator: { metric: 'rest.responses', where: THROUGH_EDGE },
      threshold: 'rate<0.01',
    },
  ],
  variants: {
    incident: {
      description: 'The defective servers behind the keep-alive edge; all REST traffic ends up on them.',
      expect: { breach: ['responses-aligned', 'valid-4xx', 'k6-unexpected'] },
    },
    masked: {
      description:
        'Before 2019-12-12: the same defective servers behind a proxy that closes the server connection after each response. ' +
        'The copy of each 413 has no next request to answer: green, which is how the bug hid for years.',
      expect: { hold: 'all' },
      topology: { edge: { keepAlive: false } },
      // Nothing reached the processes with keep-alive in those years: the pinned probe closes too.
      probes: [{ kind: 'rest', id: 'new-direct', deployment: 'new', ratePerS: 4, keepAlive: false, oversizedEvery: OVERSIZED_EVERY }],
    },
    remediated: {
      description: 'The fixed server (one response per request) behind the same keep-alive edge.',
      topology: { deployments: [{ name: 'new', env: { KEEPALIVE_DOUBLE_4XX: 'false' } }] },
    },
    rollback: ROLLBACK,
  },
});
