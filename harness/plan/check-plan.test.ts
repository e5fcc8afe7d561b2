import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { malformed } from '../scenario/fixtures/malformed/_base.ts';
import { readBounds } from './bounds.ts';
import { postmortemCheckNote } from './check-plan.ts';
import { checkOutPath, OutPathError } from './out-path.ts';
import { problems, usePostmortemsFolder, variants } from './testing/plan-problems.ts';
import { planRun } from './run-plan.ts';

const postmortems = usePostmortemsFolder();

describe('the postmortem file', () => {
  it('a name not in the postmortems folder is refused with the fix', () => {
    expect(problems(malformed((s) => { s.postmortem = '999_absent.txt'; }))).toEqual([
      `postmortem: expected a file in ${postmortems}, got "999_absent.txt" (not found): fix the name, or set HARNESS_POSTMORTEMS_DIR to the folder that holds it`,
    ]);
    expect(postmortemCheckNote()).toBeUndefined();
  });

  it('a HARNESS_POSTMORTEMS_DIR that does not exist refuses every name (a typo in the folder is not a skipped check)', () => {
    const missing = join(postmortems, 'no-such-folder');
    vi.stubEnv('HARNESS_POSTMORTEMS_DIR', missing);
    expect(problems(malformed(() => {}))).toEqual([expect.stringContaining(`expected a file in ${missing}`)]);
  });

  it('an empty folder refuses the name too', () => {
    const empty = join(postmortems, 'empty');
    mkdirSync(empty, { recursive: true });
    vi.stubEnv('HARNESS_POSTMORTEMS_DIR', empty);
    expect(problems(malformed(() => {}))).toHaveLength(1);
  });
});

describe('planRun', () => {
  it('lists every pod, the containers and the connections through the edge', () => {
    const plan = planRun(variants(malformed(() => {}))[0]!, 8000);
    expect(plan.pods.map((p) => `${p.deployment}/${p.index}`)).toEqual(['web/0', 'web/1']);
    // 2 pods, the edge, Redis; 20 clients that may fall back (2 sockets each) + a probe's subscriber and publisher.
    expect(plan.containerCount).toBe(4);
    expect(plan.edgeConnections).toBe(20 * 2 + 2);
    expect(plan.memoryMb).toBe(2 * 192);
  });

  it('counts what a limit check opens straight to its pod, in the harness and in that pod', () => {
    const plan = planRun(
      variants(
        malformed((s) => {
          s.topology.deployments[0]!.maxConnections = 500;
          s.probes.push({ kind: 'cap', id: 'cap', deployment: 'web', limit: 500, atS: 1, batch: 50 });
        }),
      )[0]!,
      8000,
    );
    expect(plan.limitCheckConnections).toBe(550);
    expect(plan.edgeConnections).toBe(20 * 2 + 2);
    expect(plan.processes.find((p) => p.kind === 'harness')).toMatchObject({ fds: 20 * 2 + 2 + 550 + 200, why: expect.stringContaining('550 limit-check connections straight to pods') });
    // The pod's cap bounds what it holds, whoever opened the connections.
    expect(plan.processes.filter((p) => p.kind === 'pod').map((p) => p.fds)).toEqual([500 + 200]);
  });

  it('counts the pods a scale action adds at its peak', () => {
    const plan = planRun(variants(malformed((s) => s.timeline.push({ at: 8, type: 'deployment.scale', target: 'web', params: { replicas: 5 } })))[0]!, 8000);
    expect(plan.peakPods).toBe(5);
    expect(plan.memoryMb).toBe(5 * 192);
  });
});

describe('checkPlan', () => {
  it('accepts the base and a pod index that exists after a scale-up', () => {
    expect(problems(malformed(() => {}))).toEqual([]);
    expect(problems(malformed((s) => {
      s.timeline = [{ at: 2, type: 'deployment.scale', target: 'web', params: { replicas: 4 } }, { at: 4, type: 'pod.kill', target: 'web/3' }];
    }))).toEqual([]);
  });

  it('rejects a pod index that exists only after the action', () => {
    expect(problems(malformed((s) => {
      s.timeline = [{ at: 2, type: 'pod.kill', target: 'web/3' }, { at: 4, type: 'deployment.scale', target: 'web', params: { replicas: 4 } }];
    }))).toEqual([expect.stringMatching(/^timeline\[0\]\.target: expected a pod index below 2 \(web has 2 pod\(s\) at 2 s/)]);
  });

  it('a bound raised by its variable lets the plan through', () => {
    const long = malformed((s) => { s.durationS = 1200; });
    expect(problems(long)).toEqual([expect.stringContaining('set HARNESS_MAX_DURATION_S to raise it')]);
    vi.stubEnv('HARNESS_MAX_DURATION_S', '1800');
    expect(problems(long)).toEqual([]);
  });

  it('names a problem of one variant with its variant', () => {
    const p = problems(malformed((s) => { s.variants.remediated.topology = { edge: { weights: { web: 0 } } }; }));
    expect(p).toEqual([expect.stringMatching(/^variants\.remediated\.topology\.edge\.weights: every weight is 0/)]);
  });

  it('rejects an edge maxconn that needs more descriptors than a process may open', () => {
    vi.stubEnv('HARNESS_MAX_EDGE_MAXCONN', '12000');
    expect(problems(malformed(() => {}))).toEqual([expect.stringMatching(/needs 24200 descriptors, two per proxied connection, over 20000 per process/)]);
  });

  it('counts ws-subscribers.ts sockets per VU, not one per VU, and spreads clients and k6 over the edge processes', () => {
    const bulk = malformed((s) => {
      s.load.maxConnections = 20_000;
      s.load.k6 = [{ script: 'ws-subscribers.ts', vus: 20, durationS: 10, params: { SOCKETS_PER_VU: 500 } }];
      s.topology.edge.processes = 3;
    });
    const plan = planRun(variants(bulk)[0]!, 8000);
    expect(plan.k6Connections).toBe(10_000);
    expect(plan.edgeConnections).toBe(40 + 2 + 10_000);
    // ceil(40 / 3) client sockets + ceil(10,000 / 3) k6 sockets + both probe connections on the first process.
    expect(plan.edgeConnectionsPerProcess).toBe(14 + 3334 + 2);
    const edges = plan.processes.filter((p) => p.kind === 'edge');
    expect(edges.map((p) => p.name)).toEqual(['edge-1 (HAProxy)', 'edge-2 (HAProxy)', 'edge-3 (HAProxy)']);
    expect(edges.every((p) => p.fds === 2 * 8000 + 200)).toBe(true);
    expect(plan.containers.find((c) => c.name === 'edge (HAProxy)')?.count).toBe(3);
    expect(plan.processes.find((p) => p.kind === 'k6')?.fds).toBe(10_000 + 200);
    expect(problems(bulk)).toEqual([]);
  });

  it('refuses a plan that puts more than maxconn into one edge process, naming how many processes it needs', () => {
    const bulk = (processes: number) =>
      malformed((s) => {
        s.load.maxConnections = 20_000;
        s.load.k6 = [{ script: 'ws-subscribers.ts', vus: 20, durationS: 10, params: { SOCKETS_PER_VU: 600 } }];
        s.topology.edge.processes = processes;
      });
    expect(problems(bulk(1))).toEqual([
      'topology.edge.processes: 12042 connections through the edge at the peak (12042 in all: 20 clients × 2 socket(s), 2 probe connections, 12000 k6 connections) are over one process\'s maxconn 8000: raise topology.edge.processes to 2 (one HAProxy process holds at most 8000), or lower the load',
    ]);
    expect(problems(bulk(2))).toEqual([]);
    // Beyond what any number of processes can carry, the fix is the load or the bound.
    const huge = malformed((s) => {
      s.load.maxConnections = 100_000;
      s.load.k6 = [{ script: 'ws-subscribers.ts', vus: 100, durationS: 10, params: { SOCKETS_PER_VU: 1000 } }];
    });
    expect(problems(huge)).toEqual(expect.arrayContaining([expect.stringMatching(/^load: 100042 connections through the edge .*HARNESS_MAX_EDGE_MAXCONN/)]));
  });

  it('refuses an edge.processes out of range with the range', () => {
    expect(() => variants(malformed((s) => { s.topology.edge.processes = 0; }))).toThrow(/topology\.edge\.processes/);
    expect(() => variants(malformed((s) => { s.topology.edge.processes = 9; }))).toThrow(/topology\.edge\.processes/);
  });

  it('rejects a bound variable that is not a positive number', () => {
    vi.stubEnv('HARNESS_MAX_PODS', 'lots');
    expect(() => readBounds()).toThrow('HARNESS_MAX_PODS="lots": expected a positive number');
  });
});

describe('checkOutPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'harness-out-path-'));
  it('accepts a directory that does not exist yet under a writable one', () => {
    expect(() => checkOutPath(join(dir, 'new', 'deeper'), [{ scenarioId: 'tiny', runId: 'tiny-incident-20260101T000000Z' }])).not.toThrow();
  });
  it('rejects a path under a regular file and a name over 255 bytes', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(() => checkOutPath(join(dir, 'file', 'out'), [])).toThrow(OutPathError);
    expect(() => checkOutPath(dir, [{ scenarioId: 'a'.repeat(300), runId: 'b'.repeat(300) }])).toThrow(/ENAMETOOLONG/);
  });
});
