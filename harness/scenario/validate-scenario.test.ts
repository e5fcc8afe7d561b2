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

describe('validateScenario: union kinds', () => {
  it('an unknown SLO kind lists the kinds', () => {
    const s = base();
    s.slos[1].kind = 'counter';
    expect(validationMessage(s)).toBe('scenarios/x.ts: slos[1].kind: expected kind to be one of ratio, trend, count, gauge, detection, recovery, delivery, webhook, limit, got "counter"');
  });
});

describe('validateScenario: references inside conditions and filters', () => {
  it('a misspelt label key in a filter', () => {
    const s = base();
    s.slos[0].numerator.where = { deploy: 'new' };
    expect(validationMessage(s)).toBe('scenarios/x.ts: slos[0].numerator.where.deploy: expected a label among deployment, pod, transport, reason, source, probe, event, status, kind, tag, got "deploy"');
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
