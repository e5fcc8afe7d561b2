import { describe, expect, it, vi } from 'vitest';
import { malformed } from '../scenario/fixtures/malformed/_base.ts';
import type { ScenarioInput } from '../scenario/scenario-schema.ts';
import { validationMessage } from '../scenario/testing/validation-message.ts';
import { k6Runs } from '../scenario/k6-runs.ts';
import { k6RunLoad, LoadInstancesError, parseLoadInstances, withLoadInstances } from './k6-runs.ts';
import { problems, usePostmortemsFolder, variants } from './testing/plan-problems.ts';
import { planRun } from './run-plan.ts';

const k6Problems = (input: ScenarioInput) => problems(input).filter((p) => p.startsWith('load.k6'));

/** The base with a ws-subscribers run of `vus` × `perVu` sockets (and the connection bound to hold them). */
const wsLoad = (vus: number, perVu: number, instances?: number) =>
  malformed((s) => {
    s.load.maxConnections = vus * perVu;
    s.load.k6 = [{ script: 'ws-subscribers.ts', vus, durationS: 10, params: { SOCKETS_PER_VU: perVu }, ...(instances === undefined ? {} : { instances }) }];
  });

usePostmortemsFolder();

describe('load.k6[].instances', () => {
  it('defaults to one process, for load.publish too', () => {
    const [v] = variants(malformed((s) => {
      s.load.k6 = [{ script: 'rest-publish.ts', vus: 4, durationS: 10 }];
      s.load.publish = { ratePerS: 10, payloadBytes: 100 };
    }));
    expect(k6Runs(v!).map((r) => [r.path, r.instances])).toEqual([['load.k6[0]', 1], ['load.publish', 1]]);
  });

  it('refuses a count below one or not whole, naming the fix', () => {
    for (const bad of [0, 1.5]) {
      const input = wsLoad(10, 10, bad);
      expect(validationMessage(input)).toMatch(/load\.k6\[0\]\.instances: expected (at least 1 k6 process|a whole number of k6 processes >= 1).*--load-instances N/);
    }
  });
});

describe('the plan of a split k6 run', () => {
  it('counts the sockets of ws-subscribers through the edge, and descriptors per process', () => {
    const one = planRun(variants(wsLoad(30, 100))[0]!, 8000);
    expect(one.k6Connections).toBe(3000);
    expect(one.processes.filter((p) => p.kind === 'k6')).toEqual([
      { kind: 'k6', name: 'k6 ws-subscribers.ts (load.k6[0])', count: 1, path: 'load.k6[0]', fds: 3000 + 200, why: '30 VUs × 100 WebSockets' },
    ]);
    const three = planRun(variants(wsLoad(30, 100, 3))[0]!, 8000);
    // The same load through the edge; each process a third of it.
    expect(three.k6Connections).toBe(3000);
    expect(three.edgeConnections).toBe(one.edgeConnections);
    expect(three.processes.find((p) => p.kind === 'k6')).toMatchObject({ count: 3, fds: 1000 + 200, why: '10 VUs × 100 WebSockets in each of 3 processes (execution segments of 30 VUs)' });
  });

  it('counts the busiest process when the VUs do not divide evenly', () => {
    const plan = planRun(variants(wsLoad(10, 100, 3))[0]!, 8000);
    expect(plan.processes.find((p) => p.kind === 'k6')!.fds).toBe(4 * 100 + 200);
  });

  it('refuses more than ~19,800 sockets in one k6 process with the fix: more processes', () => {
    vi.stubEnv('HARNESS_MAX_EDGE_MAXCONN', '9000');
    const p = k6Problems(wsLoad(250, 80));
    expect(p).toEqual([
      'load.k6[0].instances: k6 ws-subscribers.ts (load.k6[0]) would need 20200 file descriptors (250 VUs × 80 WebSockets), over 20000 per process (HARNESS_MAX_FDS): use --load-instances 2 (or load.k6[0].instances: 2): each k6 process has its own limit',
    ]);
    expect(k6Problems(wsLoad(250, 80, 2))).toEqual([]);
  });

  it('says so when no split of the VUs fits', () => {
    const p = k6Problems(wsLoad(1, 20_000));
    expect(p).toEqual([expect.stringMatching(/would need 20200 file descriptors .*: no split fits \(one VU alone is over it, at most 1\): more VUs with fewer sockets each, or .*HARNESS_MAX_FDS/)]);
  });

  it('refuses a rate run split so that a process would have fewer than 2 VUs, naming both fixes', () => {
    const rateRun = (vus: number, instances: number) =>
      malformed((s) => {
        s.load.k6 = [{ script: 'rest-publish.ts', vus, durationS: 10, params: { RATE_PER_S: 20 }, instances }];
      });
    expect(k6Problems(rateRun(4, 3))).toEqual([
      'load.k6[0].instances: 3 k6 processes for rest-publish.ts with 4 VUs: a rate run split over processes needs at least 2 VUs in each, or a slow answer holds a process\'s only VU and its share of the rate is dropped; raise load.k6[0].vus to 6 or use at most 2 processes',
    ]);
    expect(k6Problems(rateRun(3, 2))[0]).toMatch(/raise load\.k6\[0\]\.vus to 4 or use at most 1 process$/);
    expect(k6Problems(rateRun(4, 2))).toEqual([]);
    expect(k6Problems(rateRun(1, 1))).toEqual([]);
    // A script that holds sockets, not a rate, may go down to one VU per process.
    expect(k6Problems(wsLoad(3, 10, 3))).toEqual([]);
  });

  it('refuses more processes than VUs, and more than the bound', () => {
    expect(k6Problems(wsLoad(2, 10, 3))).toEqual([
      'load.k6[0].instances: 3 k6 processes for ws-subscribers.ts but only 2 VUs: k6 gives each process a share of the VUs and one without any holds no load; use at most 2 processes (load.k6[0].instances or --load-instances) or raise load.k6[0].vus',
    ]);
    expect(k6Problems(wsLoad(20, 10, 9))).toEqual([
      'load.k6[0].instances: 9 k6 processes for ws-subscribers.ts are over the bound: the limit is 8 k6 processes per k6 run (load.k6[].instances, load.publish.instances, --load-instances); set HARNESS_MAX_K6_INSTANCES to raise it if this machine can take more',
    ]);
  });
});

describe('--load-instances', () => {
  it('sets every k6 run and load.publish, with at least two publishing VUs per process', () => {
    const [v] = variants(malformed((s) => {
      s.load.k6 = [{ script: 'rest-publish.ts', vus: 4, durationS: 10 }];
      s.load.publish = { ratePerS: 10, payloadBytes: 100 };
    }));
    const runs = k6Runs(withLoadInstances(v!, 3));
    expect(runs.map((r) => [r.path, r.instances, r.vus])).toEqual([['load.k6[0]', 3, 4], ['load.publish', 3, 6]]);
    // One process: the publishing VUs as before (one per 10 messages a second, at least 2).
    expect(k6Runs(v!).find((r) => r.path === 'load.publish')!.vus).toBe(2);
  });

  it('reads a whole number >= 1 and refuses anything else with the fix', () => {
    expect(parseLoadInstances(undefined)).toBeUndefined();
    expect(parseLoadInstances('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'two', '']) expect(() => parseLoadInstances(bad)).toThrow(LoadInstancesError);
    expect(() => parseLoadInstances('0')).toThrow('--load-instances 0: expected a whole number of k6 processes >= 1');
  });
});

describe('k6RunLoad', () => {
  it('caps ws-subscribers sockets at the connection bound, as the script does', () => {
    const run = { script: 'ws-subscribers.ts' as const, vus: 10, durationS: 5, params: { SOCKETS_PER_VU: 100 }, instances: 2 };
    expect(k6RunLoad(run, 500)).toMatchObject({ connections: 500, vusPerProcess: 5, connectionsPerProcess: 250 });
    expect(k6RunLoad({ ...run, params: {} }, 5000)).toMatchObject({ connections: 100, connectionsPerProcess: 50 });
  });
});
