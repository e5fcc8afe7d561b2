import { describe, expect, it } from 'vitest';
import tiny from './fixtures/tiny.ts';
import { copyOf, validationMessage } from './testing/validation-message.ts';
import { validateScenario } from './resolve.ts';

// The default semantic SLOs, applied at resolve time to variants that hold all.

const base = () => copyOf(tiny);
const ids = (input: unknown, variant: string) => validateScenario(input).resolved[variant]!.slos.map((s) => s.id);


describe('delivery semantics as a default', () => {
  it('a remediated variant judges loss, duplication and order on every delivery probe; the incident is left as written', () => {
    expect(ids(tiny, 'remediated')).toEqual(['conn-success', 'lost', 'detect', 'ws-probe-lost', 'ws-probe-duplicated', 'ws-probe-reordered']);
    expect(ids(tiny, 'incident')).toEqual(['conn-success', 'lost', 'detect']);
    const slo = validateScenario(tiny).resolved.remediated!.slos.find((s) => s.id === 'ws-probe-reordered')!;
    expect(slo).toMatchObject({ kind: 'delivery', probe: 'ws-probe', check: 'reordered', threshold: 'count==0' });
    expect(slo.why).toMatch(/in the order they were published/);
  });

  it('every webhook probe gets missing, duplicated and stray', () => {
    const s = base();
    s.topology.webhooks = { enabled: true };
    s.probes.push({ kind: 'webhook', id: 'hooks', transport: 'ws', events: ['channel_occupied'] });
    expect(ids(s, 'remediated').filter((id) => id.startsWith('hooks-'))).toEqual(['hooks-missing', 'hooks-duplicated', 'hooks-stray']);
  });

  it('an exemption drops one check and keeps its reason in the resolved variant', () => {
    const s = base();
    s.variants.remediated.semantics = { exempt: [{ probe: 'ws-probe', check: 'lost', why: 'the kill at 10 s drops the messages in flight on that pod (report, 14:02)' }] };
    const r = validateScenario(s).resolved.remediated!;
    expect(r.slos.map((x) => x.id)).not.toContain('ws-probe-lost');
    expect(r.slos.map((x) => x.id)).toContain('ws-probe-duplicated');
    expect(r.semantics.exempt[0]!.why).toMatch(/kill at 10 s/);
  });

  it('an SLO written under the default id replaces the default (its own threshold and why)', () => {
    const s = base();
    s.variants.remediated.slos = [{ id: 'ws-probe-lost', title: 'Lost', why: 'measured: at most 3 in flight', kind: 'delivery', probe: 'ws-probe', check: 'lost', threshold: 'count<=3' }];
    const r = validateScenario(s).resolved.remediated!;
    expect(r.slos.filter((x) => x.id === 'ws-probe-lost')).toEqual([expect.objectContaining({ threshold: 'count<=3', why: 'measured: at most 3 in flight' })]);
  });

  it('an exemption must name a probe of the right kind and a check it has, with the fix in the message', () => {
    const s = base();
    s.variants.remediated.semantics = { exempt: [{ probe: 'nope', check: 'lost', why: 'x' }, { probe: 'ws-probe', check: 'stray', why: 'x' }] };
    const msg = validationMessage(s);
    expect(msg).toContain('variants.remediated.semantics.exempt[0].probe: expected the id of a delivery or webhook probe ("ws-probe"; (none)), got "nope"');
    expect(msg).toContain('variants.remediated.semantics.exempt[1].check: expected a check of a delivery probe (lost, duplicated, reordered), got "stray"');
  });

  it('an exemption needs its why, and may not also be written as an SLO', () => {
    const s = base();
    s.variants.remediated.semantics = { exempt: [{ probe: 'ws-probe', check: 'lost' }] };
    expect(validationMessage(s)).toMatch(/variants\.remediated\.semantics\.exempt\[0\]\.why: required/);
    const t = base();
    t.variants.remediated.semantics = { exempt: [{ probe: 'ws-probe', check: 'lost', why: 'x' }] };
    t.variants.remediated.slos = [{ id: 'ws-probe-lost', title: 'Lost', why: 'w', kind: 'delivery', probe: 'ws-probe', check: 'lost', threshold: 'count<=3' }];
    expect(validationMessage(t)).toContain('exempt it or write it, not both');
  });

  it('a delivery SLO must name a delivery probe', () => {
    const s = base();
    s.slos.push({ id: 'x-lost', title: 'x', why: 'w', kind: 'delivery', probe: 'ghost', check: 'lost', threshold: 'count==0' });
    expect(validationMessage(s)).toContain('slos[3].probe: expected the id of a delivery probe ("ws-probe"), got "ghost"');
  });
});

describe('cap probes', () => {
  const withCap = (limit: number) => {
    const s = base();
    s.variants.remediated.probes = [{ kind: 'cap', id: 'cap', deployment: 'new', limit, atS: 1 }];
    s.variants.remediated.slos = [{ id: 'cap-boundary', title: 'c', why: 'w', kind: 'limit', probe: 'cap', refusal: 'close:1006', threshold: 'value<=2' }];
    return s;
  };

  it('checks the cap the deployment is configured with', () => {
    expect(validateScenario(withCap(5000)).resolved.remediated!.probes.map((p) => p.id)).toContain('cap');
    expect(validationMessage(withCap(500))).toContain('variants.remediated.probes[1].limit: expected the maxConnections of "new" (5000), got 500');
  });

  it('a limit SLO must name a cap probe', () => {
    const s = withCap(5000);
    s.variants.remediated.slos[0].probe = 'ws-probe';
    expect(validationMessage(s)).toContain('expected the id of a cap, fallback-queue or memory-headroom probe ("cap"), got "ws-probe"');
  });
});

describe('fallback-queue probes', () => {
  const FALLBACK_ENV = { FALLBACK_MAX_CONCURRENT: '8', FALLBACK_QUEUE_LIMIT: '40', FALLBACK_REQUEST_COST_MS: '200' };
  const withQueue = (probe: Record<string, unknown> = {}, env: Record<string, string> = FALLBACK_ENV, replicas = 2) => {
    const s = base();
    s.variants.remediated.topology = { deployments: [{ name: 'new', maxConnections: 5000, replicas, env }] };
    s.variants.remediated.probes = [{ kind: 'fallback-queue', id: 'queue', deployment: 'new', maxConcurrent: 8, queueLimit: 40, costMs: 200, atS: 1, ...probe }];
    s.variants.remediated.slos = [{ id: 'queue-boundary', title: 'q', why: 'w', kind: 'limit', probe: 'queue', refusal: 'http:503', threshold: 'value<=0' }];
    return s;
  };

  it('checks the limits the deployment is configured with, on a deployment with a spare pod', () => {
    const probe = validateScenario(withQueue()).resolved.remediated!.probes.find((p) => p.id === 'queue');
    expect(probe).toMatchObject({ kind: 'fallback-queue', extra: 8 });
    const wrong = validationMessage(withQueue({ queueLimit: 200 }));
    expect(wrong).toContain('variants.remediated.probes[1].queueLimit: expected FALLBACK_QUEUE_LIMIT of "new" (40), got 200');
    expect(validationMessage(withQueue({}, { ...FALLBACK_ENV, FALLBACK_REQUEST_COST_MS: '0' }))).toContain('probes[1].costMs: expected FALLBACK_REQUEST_COST_MS of "new" (0), got 200');
    expect(validationMessage(withQueue({}, {}))).toContain('probes[1].maxConcurrent: expected FALLBACK_MAX_CONCURRENT of "new" (not set), got 8');
    expect(validationMessage(withQueue({}, FALLBACK_ENV, 1))).toContain('probes[1].deployment: expected at least 2 replicas of "new": the check fills a pod no pinned probe uses');
  });

  it('needs a fallback deployment and a bounded number of requests; a limit SLO may name it', () => {
    expect(validationMessage(withQueue({ deployment: 'old' }))).toContain('expected a deployment with role "fallback"');
    expect(validationMessage(withQueue({ queueLimit: 600 }, { ...FALLBACK_ENV, FALLBACK_QUEUE_LIMIT: '600' }))).toContain(
      'probes[1].queueLimit: expected maxConcurrent + queueLimit + extra <= 500 requests, got 616',
    );
    const s = withQueue();
    s.variants.remediated.slos[0]!.probe = 'ws-probe';
    expect(validationMessage(s)).toContain('expected the id of a cap, fallback-queue or memory-headroom probe ("queue"), got "ws-probe"');
  });
});

describe('memory-headroom probes', () => {
  const withMemory = (probe: Record<string, unknown> = {}, slo: Record<string, unknown> = {}) => {
    const s = base();
    s.variants.remediated.probes = [{ kind: 'memory-headroom', id: 'mem', deployment: 'new', connections: 100, memoryMb: 256, baseMb: 17.5, perConnectionMb: 1, atS: 1, ...probe }];
    s.variants.remediated.slos = [{ id: 'mem-headroom', title: 'm', why: 'w', kind: 'limit', probe: 'mem', threshold: 'value<=6', ...slo }];
    return s;
  };

  it('checks the memory the deployment is configured with, within its cap; its limit SLO takes no refusal', () => {
    expect(validateScenario(withMemory()).resolved.remediated!.probes.find((p) => p.id === 'mem')).toMatchObject({ holdS: 3, batch: 25 });
    expect(validationMessage(withMemory({ memoryMb: 216 }))).toContain('variants.remediated.probes[1].memoryMb: expected the memoryMb of "new" (256), got 216');
    expect(validationMessage(withMemory({ connections: 6000 }))).toContain('probes[1].connections: expected at most the maxConnections of "new" (5000), got 6000');
    expect(validationMessage(withMemory({}, { refusal: 'close:1006' }))).toContain('slos[3].refusal: expected no refusal for memory-headroom probe "mem"');
  });

  it('a cap check\'s limit SLO needs its refusal', () => {
    const s = base();
    s.variants.remediated.probes = [{ kind: 'cap', id: 'cap', deployment: 'new', limit: 5000, atS: 1 }];
    s.variants.remediated.slos = [{ id: 'cap-boundary', title: 'c', why: 'w', kind: 'limit', probe: 'cap', threshold: 'value<=2' }];
    expect(validationMessage(s)).toContain('slos[3].refusal: expected the refusal\'s reason key (e.g. "close:1006", "http:503") for probe "cap"');
  });
});
