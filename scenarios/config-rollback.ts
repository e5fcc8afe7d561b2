import { defineScenario } from '../harness/index.ts';

// 2019-12-06, several Channels clusters: a new app version (v2) needs a new config key (the metrics
// service address). App version and config version are deployed separately: set the version in a
// central service, roll out the config version, run the deploy script that restarts every instance
// from them. v2 has a defect that stops message delivery; the app alone is rolled back; v1's strict
// config parsing refuses the unknown key, so no version runs on the clusters whose every instance the
// rollback reached; rolling the config back too is blocked on those instances by the deploy locks the
// interrupted rollback left behind, until someone clears them.
//
// Three "clusters" share one Redis here (fan-out crosses them); the edge's weights stand for the
// share of publishing traffic each cluster carries. Time is compressed: minutes of the report are
// seconds here; the deploys themselves run at their real pace.

/** Config version 1: what v1 runs with. Every app version knows `activityTimeout`. */
const CONFIG_1 = { activityTimeout: 120 };
/** Config version 2: adds the key v2 requires and v1 does not know. */
const CONFIG_2 = { activityTimeout: 120, metricsServiceAddress: 'metrics.internal:8125' };

/** The synthetic delivery probe's rate: the gate counts its deliveries per second. */
const PROBE_RATE = 40;

/** Replay seconds of the report's moments. */
const T = {
  /** 13:35: version set, config 2 rolled out, deploy script run on every instance. */
  deploy: 8,
  /** 13:40: delivery probes failing; roll back the app version and re-run the deploy script. */
  rollbackApp: 20,
  /** 13:55: "no versions were running": roll back the config version too. */
  rollbackConfig: 40,
  /** 14:20: the safety check's failure is spurious: bypass it and restart what is still down. */
  unlock: 52,
};

/** The deploy script of 2019 waits for the instances it restarted to become ready, and stops if not. */
const readinessWait = (deployment: string, count: number) => ({
  condition: { kind: 'pods.ready' as const, deployment, count },
  timeoutS: 3,
  onFail: 'halt' as const,
});

const deployV2 = { appVersion: 'v2', config: CONFIG_2, configVersion: '2' };

/**
 * The remediation's verification step after each cluster: the delivery probe must deliver close to
 * its full rate for 3 s. Healthy, that is about PROBE_RATE a second; v2 on a cluster with a 20% share
 * loses the publishes routed there (about 32 a second left).
 */
const deliveryGate = {
  condition: { kind: 'metric' as const, metric: 'messages.received', where: { probe: 'delivery' }, op: '>=' as const, value: PROBE_RATE - 3, forS: 3 },
  timeoutS: 6,
  onFail: 'rollback' as const,
};

export default defineScenario({
  id: 'config-rollback',
  title: '2019-12: app rolled back without its config; v1 refuses config 2 and locks block the fix',
  postmortem: '002_da484a054cae2768.txt',
  summary:
    'In the incident, v2 and config 2 are deployed everywhere at once and stop message delivery. Rolling back the app alone leaves v1 with a ' +
    'config key its strict parsing refuses, so the small clusters run no version at all and publishing fails there; the ' +
    'config rollback then skips the instances the interrupted rollback left locked, until the locks are cleared.',
  seed: 1206,
  durationS: 70,
  topology: {
    deployments: [
      // mt1: the large multi-tenant cluster; ap2, ap3: clusters with lower redundancy.
      { name: 'mt1', roles: ['ws', 'fallback', 'rest'], replicas: 3, appVersion: 'v1', config: CONFIG_1, configVersion: '1', env: { CONFIG_UNKNOWN_KEYS: 'reject' }, memoryMb: 192, cpus: 0.4 },
      { name: 'ap2', roles: ['ws', 'fallback', 'rest'], replicas: 2, appVersion: 'v1', config: CONFIG_1, configVersion: '1', env: { CONFIG_UNKNOWN_KEYS: 'reject' }, memoryMb: 192, cpus: 0.4 },
      { name: 'ap3', roles: ['ws', 'fallback', 'rest'], replicas: 1, appVersion: 'v1', config: CONFIG_1, configVersion: '1', env: { CONFIG_UNKNOWN_KEYS: 'reject' }, memoryMb: 192, cpus: 0.4 },
    ],
    edge: { keepAlive: true, weights: { mt1: 60, ap2: 20, ap3: 20 }, healthCheck: { intervalS: 0.5, fall: 2, rise: 1 } },
  },
  load: {
    k6: [{ script: 'rest-publish.ts', params: { RATE_PER_S: 30, CHANNELS: 10 }, vus: 4, durationS: 68 }],
    publish: { ratePerS: 30, payloadBytes: 100, channels: 10 },
    clients: { count: 60, reconnect: { strategy: 'backoff', baseMs: 300, maxMs: 3000, jitter: true } },
    ramp: { upS: 3 },
  },
  timeline: [
    // The deploy script restarts the large cluster one instance at a time and a small one in one batch.
    { at: T.deploy, type: 'deploy.rollout', target: 'mt1', params: { ...deployV2, podIntervalS: 1 }, label: 'deploy v2 + config 2 (mt1)' },
    { at: T.deploy, type: 'deploy.rollout', target: 'ap2', params: deployV2, label: 'deploy v2 + config 2 (ap2)' },
    { at: T.deploy, type: 'deploy.rollout', target: 'ap3', params: deployV2, label: 'deploy v2 + config 2 (ap3)' },
    { at: T.rollbackApp, type: 'deploy.rollback', target: 'ap3', params: { scope: 'app', gate: readinessWait('ap3', 1) }, label: 'roll back app only (ap3)' },
    { at: T.rollbackApp, type: 'deploy.rollback', target: 'ap2', params: { scope: 'app', gate: readinessWait('ap2', 2) }, label: 'roll back app only (ap2)' },
    // On the large cluster the script's readiness wait stops it at the first refusal.
    { at: T.rollbackApp, type: 'deploy.rollback', target: 'mt1', params: { scope: 'app', podIntervalS: 1, gate: readinessWait('mt1', 3) }, label: 'roll back app only (mt1)' },
    { at: T.rollbackConfig, type: 'deploy.rollback', target: 'ap3', params: { scope: 'app+config', respectLock: true }, label: 'roll back config too (ap3)' },
    { at: T.rollbackConfig, type: 'deploy.rollback', target: 'ap2', params: { scope: 'app+config', respectLock: true }, label: 'roll back config too (ap2)' },
    { at: T.rollbackConfig, type: 'deploy.rollback', target: 'mt1', params: { scope: 'app+config', podIntervalS: 1, respectLock: true }, label: 'roll back config too (mt1)' },
    { at: T.unlock, type: 'deploy.unlock', target: 'ap3', label: 'clear stale deploy locks' },
    { at: T.unlock, type: 'deploy.unlock', target: 'ap2' },
    { at: T.unlock, type: 'deploy.unlock', target: 'mt1' },
    { at: T.unlock, type: 'deploy.rollback', target: 'ap3', params: { scope: 'app+config', respectLock: true }, label: 're-run: restart what is down (ap3)' },
    { at: T.unlock, type: 'deploy.rollback', target: 'ap2', params: { scope: 'app+config', respectLock: true }, label: 're-run (ap2)' },
    { at: T.unlock, type: 'deploy.rollback', target: 'mt1', params: { scope: 'app+config', podIntervalS: 1, respectLock: true }, label: 're-run (mt1)' },
  ],
  probes: [
    // The report's synthetic "message delivery" test: subscribe through the edge, publish through the edge.
    { kind: 'delivery', id: 'delivery', transport: 'ws', ratePerS: PROBE_RATE },
    // A customer publishing through the REST API, one request at a time, routed like everyone's.
    { kind: 'rest', id: 'publish', ratePerS: 20, mix: ['publish'] },
  ],
  alerts: [
    {
      id: 'delivery-failing',
      title: 'Synthetic delivery test failing (under 90% of probe messages delivered over 3 s)',
      rule: { kind: 'ratio', numerator: { metric: 'messages.received', where: { probe: 'delivery' } }, denominator: { metric: 'messages.sent', where: { probe: 'delivery' } }, op: '<', value: 0.9, windowS: 3 },
      forS: 2,
    },
    {
      id: 'publish-errors',
      title: 'REST publishes failing (over 5% not 2xx over 3 s)',
      rule: { kind: 'ratio', numerator: { metric: 'rest.status5xx', where: { probe: 'publish' } }, denominator: { metric: 'rest.requests', where: { probe: 'publish' } }, op: '>', value: 0.05, windowS: 3 },
      forS: 2,
    },
  ],
  slos: [
    {
      id: 'publish-success',
      title: 'REST publishes answered 2xx',
      why:
        'Publishing is what failed for customers in the report ("completely stopped some users from publishing"). Restarting the one pod of ' +
        'a small cluster costs that cluster\'s 20% share for a second or two; a bad release caught and rolled back on one cluster costs ' +
        'two such restarts, about 1% of the run. 95% leaves room for that, not for a cluster that runs no version at all.',
      kind: 'ratio',
      numerator: { metric: 'rest.status2xx', where: { probe: 'publish' } },
      denominator: { metric: 'rest.requests', where: { probe: 'publish' } },
      threshold: 'rate>=0.95',
    },
    {
      id: 'delivery',
      title: 'Synthetic probe messages delivered',
      why:
        'Bad code happens (the report says so): a release verified cluster by cluster still exposes the first cluster (20% of publishes) for as ' +
        'long as its check takes, about 10 s here, which loses about 3% of the run\'s probe messages. 90% allows that; a bad version on every ' +
        'cluster, or clusters without a running version, lose far more.',
      kind: 'ratio',
      numerator: { metric: 'messages.received', where: { probe: 'delivery' } },
      denominator: { metric: 'messages.sent', where: { probe: 'delivery' } },
      threshold: 'rate>=0.9',
    },
    {
      id: 'rollback-recovery',
      title: 'Seconds from the decision to roll back until probe delivery is whole again',
      why:
        'A rollback restores a release that ran minutes ago, so once decided it should take as long as restarting a pod and the edge seeing it ' +
        'healthy: a few seconds. 15 s allows a slow machine. The report: 75 minutes from the first rollback to the last instance fixed.',
      kind: 'recovery',
      from: { type: 'rollback.decided' },
      signal: { kind: 'ratio', numerator: { metric: 'messages.received', where: { probe: 'delivery' } }, denominator: { metric: 'messages.sent', where: { probe: 'delivery' } } },
      level: 0.95,
      holdS: 5,
      threshold: 'value<=15',
    },
  ],
  variants: {
    incident: {
      description:
        'Strict config parsing; v2 + config 2 deployed to every cluster at once; the app alone rolled back (v1 refuses config 2); the config ' +
        'rollback honours the locks the interrupted rollback left; the locks are cleared and the rollback re-run later.',
      expect: { breach: ['publish-success', 'delivery', 'rollback-recovery'] },
    },
    'tolerant-config': {
      description:
        'The incident\'s procedure, but config parsing ignores unknown keys: the app-only rollback works (v1 runs with config 2), nothing is ' +
        'locked, publishing holds. Without a gate the bad version still reached every cluster, so delivery is still breached.',
      expect: { breach: ['delivery'] },
      topology: {
        deployments: ['mt1', 'ap2', 'ap3'].map((name) => ({ name, env: { CONFIG_UNKNOWN_KEYS: 'warn' } })),
      },
    },
    remediated: {
      description:
        'Immutable releases (v2 ships with config 2; a rollback restores both at once), rolled out cluster by cluster, smallest first, with a ' +
        'verification gate on the delivery probe: the first cluster fails it, is rolled back, and the release goes no further. Config parsing stays strict.',
      timeline: [
        { at: T.deploy, type: 'deploy.rollout', target: 'ap3', params: { ...deployV2, gate: deliveryGate }, label: 'ap3 first: release v2 + config 2, gated' },
        { at: T.deploy + 1, type: 'deploy.rollout', target: 'ap2', params: { ...deployV2, gate: deliveryGate }, label: 'ap2 next: same release, gated' },
        { at: T.deploy + 1, type: 'deploy.rollout', target: 'mt1', params: { ...deployV2, podIntervalS: 2, gate: deliveryGate }, label: 'mt1 last: same release, gated' },
      ],
      semantics: {
        exempt: [
          {
            probe: 'delivery',
            check: 'lost',
            why:
              'The remediation still ships the defective v2 ("bad code happens", the report says) to the first cluster, which loses the ' +
              'publishes routed to it until its gate fails and rolls it back; measured: 90 of 2681 probe messages, all between 8 s and 17 s. ' +
              'That loss is bounded by the `delivery` ratio and `rollback-recovery`; after the rollback `delivery-lost-after-rollback` allows none.',
          },
        ],
      },
      slos: [
        {
          id: 'delivery-lost-after-rollback',
          title: 'Probe messages lost once the gated release is rolled back',
          why:
            'The gate decides within its 6 s timeout of the first pod (ready about 1.5 s after the 8 s deploy) and the rollback restarts one ' +
            'pod: delivery is whole again by about 17 s (measured 16.3 s). From 25 s, with room for a slow machine, v1 runs everywhere ' +
            'and Pusher loses nothing.',
          kind: 'delivery',
          probe: 'delivery',
          check: 'lost',
          threshold: 'count==0',
          window: { from: 25, to: 70 },
        },
      ],
    },
  },
});
