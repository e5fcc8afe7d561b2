import { describe, expect, it } from 'vitest';
import tiny from './fixtures/tiny.ts';
import { copyOf, validationMessage } from './testing/validation-message.ts';
import { UnknownVariantError } from './errors.ts';
import { resolveVariant, selectVariants, validateScenario } from './resolve.ts';

// Deep copy so each test can break the fixture its own way.
const base = () => copyOf(tiny);


describe('validateScenario: good input', () => {
  it('applies defaults and keeps the incident expectation', () => {
    const s = validateScenario(tiny, 'scenarios/tiny.ts');
    const incident = resolveVariant(s, 'incident');
    expect(incident.expectation).toEqual({ breach: ['conn-success'] });
    expect(incident.topology.deployments[0]!.restartPolicy).toBe('no');
    expect(incident.topology.deployments[0]!.config).toEqual({});
    expect(incident.timeline[1]).toEqual({ at: 10, type: 'pod.kill', target: 'new/0', params: { signal: 'SIGKILL' } });
    expect(resolveVariant(s, 'remediated').expectation).toEqual({ hold: 'all' });
  });

  it('selects both variants in order and rejects an unknown one with a stable code', () => {
    const s = validateScenario(tiny);
    expect(selectVariants(s, 'both').map((v) => v.variant)).toEqual(['incident', 'remediated']);
    const err = (() => {
      try {
        resolveVariant(s, 'masked');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnknownVariantError);
    expect((err as UnknownVariantError).code).toBe('SCENARIO_UNKNOWN_VARIANT');
  });

  it('accepts an extra variant with its own expectation (keepalive-desync masked)', () => {
    const s = base();
    s.variants.masked = { expect: { hold: 'all' }, topology: { edge: { keepAlive: false } } };
    const v = validateScenario(s);
    expect(v.variants).toEqual(['incident', 'remediated', 'masked']);
    expect(v.resolved.masked!.topology.edge.keepAlive).toBe(false);
    expect(v.resolved.incident!.topology.edge.keepAlive).toBe(true);
  });
});

describe('validateScenario: malformed input names file, path and expectation', () => {
  it('a wrong type in the base', () => {
    const s = base();
    s.topology.deployments[0].replicas = 1.5;
    expect(validationMessage(s)).toBe('scenarios/x.ts: topology.deployments[0].replicas: expected an integer, got 1.5');
  });

  it('a missing required field', () => {
    const s = base();
    delete s.durationS;
    expect(validationMessage(s)).toBe('scenarios/x.ts: durationS: required, expected a positive number');
  });

  it('an unknown key (typo) is refused rather than ignored', () => {
    const s = base();
    s.topology.deployments[0].memoryMB = 256;
    expect(validationMessage(s)).toBe('scenarios/x.ts: topology.deployments[0]: unknown key "memoryMB": correct the spelling or remove it (every field is in harness/scenario/README.md)');
  });

  it('an unknown action type lists the known ones', () => {
    const s = base();
    s.timeline[0].type = 'pod.explode';
    expect(validationMessage(s)).toMatch(/^scenarios\/x\.ts: timeline\[0\]\.type: expected type to be one of weights\.shift, pod\.kill, .*wait\.until, got "pod\.explode"$/);
  });

  it('bad action params are reported under params', () => {
    const s = base();
    s.timeline.push({ at: 12, type: 'deployment.scale', target: 'new', params: { replicas: -1 } });
    expect(validationMessage(s)).toBe('scenarios/x.ts: timeline[2].params.replicas: expected a number >= 0, got -1');
  });

  it('a rollout with nothing to roll out', () => {
    const s = base();
    s.timeline.push({ at: 12, type: 'deploy.rollout', target: 'new', params: {} });
    expect(validationMessage(s)).toMatch(/timeline\[2\]\.params: expected at least one of appVersion, config, configVersion/);
  });

  it('a target that names no deployment', () => {
    const s = base();
    s.timeline[1].target = 'newer/0';
    expect(validationMessage(s)).toBe(
      'scenarios/x.ts: timeline[1].target: expected "deployment" or "deployment/<pod index>" with a deployment in "old", "new", got "newer/0"',
    );
  });

  it('weights for an unknown deployment', () => {
    const s = base();
    s.timeline[0].params.weights = { old: 30, fresh: 70 };
    expect(validationMessage(s)).toBe('scenarios/x.ts: timeline[0].params.weights.fresh: expected a deployment name ("old", "new"), got "fresh"');
  });

  it('an unparsable threshold', () => {
    const s = base();
    s.slos[0].threshold = 'rate >= 99%';
    expect(validationMessage(s)).toMatch(/^scenarios\/x\.ts: slos\[0\]\.threshold: expected "<agg> <op> <number>".*got "rate >= 99%"$/);
  });

  it('a threshold that does not fit the SLO kind', () => {
    const s = base();
    s.slos[0].threshold = 'p(99)<250';
    expect(validationMessage(s)).toBe('scenarios/x.ts: slos[0].threshold: expected a rate threshold for a ratio SLO, got "p(99)<250"');
  });

  it('an unknown metric name', () => {
    const s = base();
    s.slos[1].metric = 'delivery.lostt';
    expect(validationMessage(s)).toMatch(/slos\[1\]\.metric: expected a known metric name .*got "delivery\.lostt"/);
  });

  it('a detection SLO pointing at an unknown alert', () => {
    const s = base();
    s.slos[2].alert = 'nobody-watching';
    expect(validationMessage(s)).toBe('scenarios/x.ts: slos[2].alert: expected an alert id ("connect-failures"), got "nobody-watching"');
  });

  it('a variant error is prefixed with the variant path', () => {
    const s = base();
    s.variants.remediated.topology.deployments[0].cpus = 0;
    expect(validationMessage(s)).toBe('scenarios/x.ts: variants.remediated.topology.deployments[1].cpus: expected a positive number, got 0');
  });

  it('an incident whose expected breach names no SLO', () => {
    const s = base();
    s.variants.incident.expect = { breach: ['conn-sucess'] };
    expect(validationMessage(s)).toMatch(/^scenarios\/x\.ts: variants\.incident\.expect\.breach\[0\]: expected an SLO id \("conn-success", "lost", "detect"\), got "conn-sucess"$/);
  });

  it('a missing remediated variant and an extra variant without expectation', () => {
    const s = base();
    delete s.variants.remediated;
    s.variants.masked = {};
    const msg = validationMessage(s);
    expect(msg).toContain('scenarios/x.ts: 2 problems');
    expect(msg).toContain('variants.remediated: required: every scenario has an "remediated" variant');
    expect(msg).toContain('variants.masked.expect: required: an extra variant states its expectation');
  });
});

describe('validateScenario: churn and gauge trends', () => {
  const withClients = (churn: unknown) => {
    const s = base();
    s.load.clients = { count: 10, reconnect: { strategy: 'backoff' }, churn };
    return s;
  };

  it('accepts a churn setting and fills awayMs', () => {
    const v = validateScenario(withClients({ sharePerS: 0.05 }), 'scenarios/x.ts');
    expect(resolveVariant(v, 'remediated').load.clients!.churn).toEqual({ sharePerS: 0.05, awayMs: 1000 });
  });

  it('a churn share written as a percentage is refused with the fix', () => {
    expect(validationMessage(withClients({ sharePerS: 5 }))).toBe(
      'scenarios/x.ts: load.clients.churn.sharePerS: expected a share of the clients per second of at most 0.2 (each client leaving every 5 s on average); a share is a fraction: 5% is 0.05, got 5',
    );
  });

  it('a zero or negative churn share says to remove churn instead', () => {
    expect(validationMessage(withClients({ sharePerS: 0 }))).toMatch(/load\.clients\.churn\.sharePerS: expected a share of the clients per second above 0 .*remove churn for none, got 0$/);
  });

  it('churn ending before it starts, or after the replay', () => {
    expect(validationMessage(withClients({ sharePerS: 0.1, fromS: 8, toS: 4 }))).toBe('scenarios/x.ts: load.clients.churn.toS: expected churn.toS > churn.fromS');
    expect(validationMessage(withClients({ sharePerS: 0.1, toS: 10_000 }))).toMatch(/load\.clients\.churn\.toS: expected a time within durationS/);
  });

  it('a gauge-trend SLO needs a window, a gauge metric and a value threshold', () => {
    const trend = (over: Record<string, unknown>) => {
      const s = base();
      s.slos.push({ id: 'mem-trend', title: 'Memory growth', why: 'leak', kind: 'gauge-trend', metric: 'pod.memoryMb', threshold: 'value<=5', window: { from: 2, to: 8 }, ...over });
      return s;
    };
    expect(resolveVariant(validateScenario(trend({}), 'scenarios/x.ts'), 'remediated').slos.find((x) => x.id === 'mem-trend')).toMatchObject({ per: 'all', minSamples: 20 });
    expect(validationMessage(trend({ window: undefined }))).toMatch(/slos\[\d\]\.window: required/);
    expect(validationMessage(trend({ metric: 'connect.failures' }))).toMatch(/expected a gauge metric, got the counter "connect\.failures"/);
    expect(validationMessage(trend({ threshold: 'max<5' }))).toMatch(/expected a value threshold for a gauge-trend SLO/);
  });

  it('a live-heap trend needs every judged deployment to sample it, often enough for its window', () => {
    const live = (env: Record<string, Record<string, string>>, over: Record<string, unknown> = {}) => {
      const s = base();
      for (const d of s.topology.deployments) d.env = env[d.name] ?? {};
      s.slos.push({ id: 'heap-trend', title: 'Live heap growth', why: 'leak', kind: 'gauge-trend', metric: 'pod.heapLiveMb', threshold: 'value<=5', window: { from: 0, to: 30 }, minSamples: 10, ...over });
      return s;
    };
    const names = base().topology.deployments.map((d: { name: string }) => d.name);
    expect(names.length).toBeGreaterThan(1);
    const all = Object.fromEntries(names.map((n: string) => [n, { LIVE_HEAP_SAMPLE_MS: '2000' }]));
    expect(resolveVariant(validateScenario(live(all), 'scenarios/x.ts'), 'remediated').slos.find((x) => x.id === 'heap-trend')).toMatchObject({ metric: 'pod.heapLiveMb' });
    const [first, second] = names as [string, string];
    expect(validationMessage(live({ [first]: { LIVE_HEAP_SAMPLE_MS: '2000' } }))).toMatch(
      new RegExp(`slos\\[\\d\\]\\.metric: pod\\.heapLiveMb is sampled only by pods with LIVE_HEAP_SAMPLE_MS set, and deployment "${second}" does not set it: add env: \\{ LIVE_HEAP_SAMPLE_MS: '2000' \\} to it`),
    );
    // Narrowed to the deployment that samples: accepted.
    expect(() => validateScenario(live({ [first]: { LIVE_HEAP_SAMPLE_MS: '2000' } }, { where: { deployment: first } }), 'scenarios/x.ts')).not.toThrow();
    expect(validationMessage(live(all, { minSamples: 20 }))).toMatch(/env\.LIVE_HEAP_SAMPLE_MS: 2000 ms between samples gives at most 15 samples per pod in slos\[\d\]'s 30 s window, fewer than its minSamples \(20\)/);
  });
});

describe('validateScenario: union kinds', () => {
  it('an unknown SLO kind lists the kinds', () => {
    const s = base();
    s.slos[1].kind = 'counter';
    expect(validationMessage(s)).toBe('scenarios/x.ts: slos[1].kind: expected kind to be one of ratio, trend, count, gauge, gauge-trend, detection, recovery, delivery, webhook, limit, got "counter"');
  });
});

describe('validateScenario: references inside conditions and filters', () => {
  it('a misspelt label key in a filter', () => {
    const s = base();
    s.slos[0].numerator.where = { deploy: 'new' };
    expect(validationMessage(s)).toBe('scenarios/x.ts: slos[0].numerator.where.deploy: expected a label among deployment, pod, transport, reason, source, probe, event, status, kind, tag, code, abnormal, got "deploy"');
  });

  it('a roll-out gate waiting on an alert that does not exist', () => {
    const s = base();
    s.timeline[0].params.gate = { condition: { kind: 'alert.fired', alert: 'nope' }, timeoutS: 5 };
    expect(validationMessage(s)).toBe('scenarios/x.ts: timeline[0].params.gate.condition.alert: expected an alert id ("connect-failures"), got "nope"');
  });

  it('wait.until on an unknown metric', () => {
    const s = base();
    s.timeline.push({ at: 20, type: 'wait.until', target: 'edge', params: { condition: { kind: 'metric', metric: 'conections', op: '>', value: 10 }, timeoutS: 5 } });
    expect(validationMessage(s)).toMatch(/^scenarios\/x\.ts: timeline\[2\]\.params\.condition\.metric: expected a known metric name/);
  });

  it('wait.until on single k6 samples, which the runtime records per second', () => {
    const s = base();
    s.timeline.push({ at: 20, type: 'wait.until', target: 'edge', params: { condition: { kind: 'event', match: { type: 'k6.point', where: { metric: 'pusher_connected' } } }, timeoutS: 5 } });
    expect(validationMessage(s)).toBe(
      'scenarios/x.ts: timeline[2].params.condition.match.type: k6 samples are recorded per second as k6.aggregate events, never as k6.point: use a metric condition over k6.<metric> instead',
    );
  });

  it('a percentile alert stat on a counter', () => {
    const s = base();
    s.alerts.push({ id: 'p99-of-counter', title: 'x', rule: { kind: 'threshold', metric: 'connect.failures', stat: 'p99', op: '>', value: 1 } });
    expect(validationMessage(s)).toBe('scenarios/x.ts: alerts[1].rule.stat: expected sum, max, min or last for the non-trend metric "connect.failures", got "p99"');
  });
});

describe('validateScenario: traffic needs a deployment that serves it', () => {
  it('a fallback probe pinned to a WebSocket-only deployment', () => {
    const s = base();
    s.probes.push({ kind: 'delivery', id: 'fallback-alone', transport: 'xhr_streaming', deployment: 'old' });
    expect(validationMessage(s)).toBe('scenarios/x.ts: probes[1].deployment: expected a deployment with role "fallback" ("new"), got "old"');
  });

  it('a REST probe and publishing load with no REST deployment', () => {
    const s = base();
    s.probes.push({ kind: 'rest', id: 'rest' });
    s.load.publish = { ratePerS: 10, payloadBytes: 100 };
    const msg = validationMessage(s);
    expect(msg).toContain('probes[1]: expected a deployment with role "rest" to serve this probe, but none has it');
    expect(msg).toContain('load.publish: expected a deployment with role "rest" to serve the publishing load, but none has it');
  });
});
