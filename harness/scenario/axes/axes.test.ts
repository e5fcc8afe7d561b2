import { describe, expect, it } from 'vitest';
import tiny from '../fixtures/tiny.ts';
import { resolveVariant, validateScenario } from '../resolve.ts';
import { copyOf, validationMessage } from '../testing/validation-message.ts';
import { atFactor, findAxis } from './apply-axis.ts';
import { scaleStep } from './weight-step-axis.ts';

const withAxes = (axes: unknown[], extra: (s: Record<string, any>) => void = () => {}) => {
  const s = copyOf(tiny);
  s.axes = axes;
  extra(s);
  return s;
};
const why = 'the next surge';
const remediated = (input: unknown) => resolveVariant(validateScenario(input, 'scenarios/x.ts'), 'remediated');

describe('stress axes: declared and validated with the scenario', () => {
  it('defaults to no axes, and resolves a declared one with its defaults', () => {
    expect(remediated(tiny).axes).toEqual([]);
    const r = remediated(withAxes([{ name: 'clients', kind: 'clients', range: { min: 0.5, max: 2 }, why }]));
    expect(r.axes).toEqual([
      { name: 'clients', kind: 'clients', range: { min: 0.5, max: 2 }, resolution: 0.05, why, scaleCaps: { loadMaxConnections: false, deployments: [] } },
    ]);
  });

  it('lets a variant override an axis by name', () => {
    const s = withAxes([{ name: 'clients', kind: 'clients', range: { min: 0.5, max: 2 }, why }], (x) => {
      x.variants.remediated.axes = [{ name: 'clients', range: { min: 1, max: 3 } }];
    });
    expect(remediated(s).axes[0]!.range).toEqual({ min: 1, max: 3 });
  });

  it('refuses an unknown kind, an empty range, a duplicate name and an unknown deployment, naming the field', () => {
    expect(validationMessage(withAxes([{ name: 'x', kind: 'weather', range: { min: 1, max: 2 }, why }]))).toMatch(/axes\[0\]\.kind: expected kind to be one of clients, reconnect, publish-rate, memory/);
    expect(validationMessage(withAxes([{ name: 'x', kind: 'clients', range: { min: 2, max: 1 }, why }]))).toMatch(/axes\[0\]\.range: expected range.max > range.min/);
    expect(validationMessage(withAxes([{ name: 'x', kind: 'clients', range: { min: 0, max: 1 }, why }]))).toMatch(/axes\[0\]\.range\.min: expected a positive factor/);
    expect(validationMessage(withAxes([
      { name: 'x', kind: 'clients', range: { min: 1, max: 2 }, why },
      { name: 'x', kind: 'reconnect', range: { min: 1, max: 2 }, why },
    ]))).toMatch(/axes\[1\]\.name: duplicate axis name "x"/);
    expect(validationMessage(withAxes([{ name: 'm', kind: 'memory', deployments: ['nope'], range: { min: 1, max: 2 }, why }]))).toMatch(/axes\[0\]\.deployments\[0\]: expected a deployment name \("old", "new"\), got "nope"/);
    expect(validationMessage(withAxes([{ name: 'p', kind: 'publish-rate', range: { min: 1, max: 2 }, why }]))).toMatch(/a publish-rate axis needs load.publish/);
  });

  it('refuses a range that leaves nothing to scale at its low end', () => {
    const fewer = withAxes([{ name: 'clients', kind: 'clients', range: { min: 0.001, max: 2 }, why }]);
    expect(validationMessage(fewer)).toMatch(/axes\[0\]\.range\.min: at ×0.001 no client is left of 100: raise range.min/);
  });
});

describe('stress axes: a variant at factor k', () => {
  const clients = remediated(withAxes([{ name: 'clients', kind: 'clients', range: { min: 0.5, max: 3 }, why }]));
  const axis = findAxis(clients, 'clients');

  it('scales the clients and their arrival rate, not the connection caps sized for the load', () => {
    const at = atFactor(clients, axis, 1.5);
    expect(at.load.clients!.count).toBe(150);
    // Same ramp: 1.5 times the clients arrive in the same seconds.
    expect(at.load.ramp.upS).toBe(clients.load.ramp.upS);
    expect(at.topology.deployments.find((d) => d.name === 'new')!.maxConnections).toBe(5000);
    expect(at.load.maxConnections).toBe(clients.load.maxConnections);
    expect(at.variantDescription).toMatch(/\[axis clients ×1.5\]$/);
    // The input is left alone.
    expect(clients.load.clients!.count).toBe(100);
  });

  it('scales a cap when the axis says so, and the cap probe on it with it', () => {
    const s = remediated(
      withAxes([{ name: 'fleet', kind: 'clients', range: { min: 1, max: 2 }, why, scaleCaps: { deployments: ['new'] } }], (x) => {
        x.variants.remediated.probes = [{ kind: 'cap', id: 'new-cap', deployment: 'new', limit: 5000, atS: 1 }];
      }),
    );
    const at = atFactor(s, findAxis(s, 'fleet'), 1.3);
    expect(at.topology.deployments.find((d) => d.name === 'new')!.maxConnections).toBe(6500);
    expect(at.probes.find((p) => p.id === 'new-cap')).toMatchObject({ kind: 'cap', limit: 6500 });
  });

  it('refuses to scale a cap a deployment does not have', () => {
    const s = withAxes([{ name: 'fleet', kind: 'clients', range: { min: 1, max: 2 }, why, scaleCaps: { deployments: ['old'] } }]);
    expect(validationMessage(s)).toMatch(/axes\[0\]\.scaleCaps\.deployments\[0\]: deployment old has no maxConnections to scale/);
  });

  it('reconnect: delays ÷k; memory: the named deployments ÷k; publish-rate: the REST load ×k', () => {
    const s = remediated(
      withAxes(
        [
          { name: 'retry', kind: 'reconnect', range: { min: 1, max: 4 }, why },
          { name: 'mem', kind: 'memory', deployments: ['new'], range: { min: 1, max: 2 }, why },
          { name: 'pub', kind: 'publish-rate', range: { min: 1, max: 3 }, why },
        ],
        (x) => {
          x.load.publish = { ratePerS: 10, payloadBytes: 100 };
          x.topology.deployments[0].roles = ['ws', 'rest'];
          x.load.clients.reconnect = { strategy: 'backoff', baseMs: 1000, maxMs: 8000 };
        },
      ),
    );
    const retry = atFactor(s, findAxis(s, 'retry'), 4).load.clients!.reconnect;
    expect([retry.baseMs, retry.maxMs]).toEqual([250, 2000]);
    const mem = atFactor(s, findAxis(s, 'mem'), 2).topology.deployments;
    expect(mem.map((d) => [d.name, d.memoryMb])).toEqual([['old', 256], ['new', 128]]);
    expect(atFactor(s, findAxis(s, 'pub'), 2.5).load.publish!.ratePerS).toBe(25);
  });

  it('memory: a memory-headroom probe on a scaled deployment checks the scaled size (oom-cascade remediated)', async () => {
    const oom = remediated((await import('../../../scenarios/oom-cascade.ts')).default);
    const axis = oom.axes.find((a) => a.kind === 'memory');
    expect(axis).toBeDefined();
    const at = atFactor(oom, axis!, 2);
    const probes = at.probes.filter((p) => p.kind === 'memory-headroom');
    expect(probes).toHaveLength(1);
    for (const p of probes) expect(p.memoryMb).toBe(at.topology.deployments.find((d) => d.name === p.deployment)!.memoryMb);
    expect(probes[0]!.memoryMb).toBeLessThan(oom.topology.deployments.find((d) => d.name === 'new')!.memoryMb);
  });

  it('refuses a factor outside the range and names the axes a variant has', () => {
    expect(() => atFactor(clients, axis, 4)).toThrow(/factor 4 is outside axis clients's range 0.5..3/);
    expect(() => findAxis(clients, 'retry')).toThrow(/has no axis "retry" \(its axes: clients\)/);
    expect(() => findAxis(remediated(tiny), 'clients')).toThrow(/declares no stress axes; add `axes:/);
  });
});

describe('stress axes: roll-out steps and fallback eagerness', () => {
  it('weight-step: each shift sends k times its share to the deployment, capped at 100%, the rest split as before', () => {
    expect(scaleStep({ old: 30, new: 70 }, 'new', 1.2)).toEqual({ old: 16, new: 84 });
    expect(scaleStep({ old: 30, new: 70 }, 'new', 2)).toEqual({ old: 0, new: 100 });
    expect(scaleStep({ a: 50, b: 25, new: 25 }, 'new', 2)).toEqual({ a: 33, b: 17, new: 50 });
    expect(scaleStep({ old: 100 }, 'new', 2)).toEqual({ old: 100 });
    const s = remediated(withAxes([{ name: 'step', kind: 'weight-step', deployment: 'new', range: { min: 0.5, max: 1.4 }, why }]));
    const at = atFactor(s, findAxis(s, 'step'), 1.2);
    expect(at.timeline[0]).toMatchObject({ type: 'weights.shift', params: { weights: { old: 16, new: 84 } } });
    // The initial weights are not a step.
    expect(at.topology.edge.weights).toEqual({ old: 80, new: 20 });
    expect(validationMessage(withAxes([{ name: 'step', kind: 'weight-step', deployment: 'old2', range: { min: 1, max: 2 }, why }]))).toMatch(
      /axes\[0\]\.deployment: no weights.shift in the timeline names "old2"/,
    );
  });

  it('fallback-eagerness: fallbackAfterFailures ÷k, at least 1', () => {
    const s = remediated(withAxes([{ name: 'fb', kind: 'fallback-eagerness', range: { min: 1, max: 10 }, why }], (x) => {
      x.load.clients.reconnect = { strategy: 'backoff', fallbackAfterFailures: 7 };
    }));
    expect(atFactor(s, findAxis(s, 'fb'), 2).load.clients!.reconnect.fallbackAfterFailures).toBe(4);
    expect(atFactor(s, findAxis(s, 'fb'), 10).load.clients!.reconnect.fallbackAfterFailures).toBe(1);
  });
});
