import { describe, expect, it } from 'vitest';
import type { K6Point, K6Result, K6RunOptions } from './k6-runner.ts';
import { executionSegments, mergeK6Results, runK6Segmented, segmentArgs } from './k6-segments.ts';

const result = (over: Partial<K6Result> = {}): K6Result => ({ exitCode: 0, outcome: 'passed', points: 0, stderrTail: [], ...over });

describe('executionSegments', () => {
  it('cuts the run into N equal segments of one shared sequence', () => {
    expect(executionSegments(3)).toEqual({ sequence: '0,1/3,2/3,1', segments: ['0:1/3', '1/3:2/3', '2/3:1'] });
    expect(executionSegments(1)).toEqual({ sequence: '0,1', segments: ['0:1'] });
  });

  it('writes fractions reduced, as k6 reads them', () => {
    expect(executionSegments(4)).toEqual({ sequence: '0,1/4,1/2,3/4,1', segments: ['0:1/4', '1/4:1/2', '1/2:3/4', '3/4:1'] });
    expect(executionSegments(6).sequence).toBe('0,1/6,1/3,1/2,2/3,5/6,1');
  });

  it('refuses a count that is not a whole number of processes', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => executionSegments(bad)).toThrow(/whole number of processes ≥ 1/);
  });
});

describe('segmentArgs', () => {
  it('gives a single process no segment flags', () => {
    expect(segmentArgs(1)).toEqual([[]]);
  });

  it('gives each process its segment and the shared sequence', () => {
    expect(segmentArgs(2)).toEqual([
      ['--execution-segment', '0:1/2', '--execution-segment-sequence', '0,1/2,1'],
      ['--execution-segment', '1/2:1', '--execution-segment-sequence', '0,1/2,1'],
    ]);
  });
});

describe('mergeK6Results', () => {
  it('is as bad as the worst process, sums the points and keeps every stderr tail', () => {
    const merged = mergeK6Results([
      result({ points: 10, stderrTail: ['a'] }),
      result({ exitCode: 107, outcome: 'error', points: 5, stderrTail: ['boom'] }),
      result({ exitCode: null, outcome: 'killed', points: 1 }),
    ]);
    expect(merged).toMatchObject({ exitCode: 107, outcome: 'error', points: 16, stderrTail: ['[instance 1/3] a', '[instance 2/3] boom'] });
    expect(merged.instances).toHaveLength(3);
  });

  it('ranks killed above thresholds-failed above passed', () => {
    expect(mergeK6Results([result(), result({ exitCode: 99, outcome: 'thresholds-failed' })]).outcome).toBe('thresholds-failed');
    expect(mergeK6Results([result({ exitCode: 99, outcome: 'thresholds-failed' }), result({ exitCode: null, outcome: 'killed' })]).outcome).toBe('killed');
  });

  it('leaves a single result as it is', () => {
    expect(mergeK6Results([result({ points: 3, stderrTail: ['x'] })])).toMatchObject({ points: 3, stderrTail: ['x'] });
  });

  it('refuses nothing to merge', () => {
    expect(() => mergeK6Results([])).toThrow(/no k6 results/);
  });
});

describe('runK6Segmented', () => {
  const point = (metric: string): K6Point => ({ metric, time: 1, value: 1, tags: { transport: 'ws' } });

  it('starts one process per segment, tags each point with its instance and merges the results', async () => {
    const calls: K6RunOptions[] = [];
    const fake = async (o: K6RunOptions): Promise<K6Result> => {
      calls.push(o);
      o.onPoint?.(point('pusher_connected'));
      return result({ points: 1 });
    };
    const points: K6Point[] = [];
    const merged = await runK6Segmented({ script: 's.ts', args: ['--no-color'], maxDurationS: 5, instances: 3, onPoint: (p) => points.push(p) }, fake);
    expect(calls.map((c) => c.args)).toEqual([
      ['--no-color', '--execution-segment', '0:1/3', '--execution-segment-sequence', '0,1/3,2/3,1'],
      ['--no-color', '--execution-segment', '1/3:2/3', '--execution-segment-sequence', '0,1/3,2/3,1'],
      ['--no-color', '--execution-segment', '2/3:1', '--execution-segment-sequence', '0,1/3,2/3,1'],
    ]);
    expect(points.map((p) => p.tags)).toEqual([
      { transport: 'ws', instance: '1' },
      { transport: 'ws', instance: '2' },
      { transport: 'ws', instance: '3' },
    ]);
    expect(merged).toMatchObject({ outcome: 'passed', points: 3 });
  });

  it('runs a single process as it was, with untagged points', async () => {
    const calls: K6RunOptions[] = [];
    const points: K6Point[] = [];
    await runK6Segmented({ script: 's.ts', maxDurationS: 5, instances: 1, onPoint: (p) => points.push(p) }, async (o) => {
      calls.push(o);
      o.onPoint?.(point('pusher_connected'));
      return result();
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args).toBeUndefined();
    expect(points).toEqual([point('pusher_connected')]);
  });

  it('stops the other processes when one cannot start, then throws its error', async () => {
    const stopped: boolean[] = [];
    const fake = (o: K6RunOptions): Promise<K6Result> => {
      if (o.args?.includes('0:1/2')) return Promise.reject(new Error('k6 missing'));
      return new Promise((resolve) =>
        o.signal!.addEventListener('abort', () => {
          stopped.push(true);
          resolve(result({ exitCode: null, outcome: 'killed' }));
        }),
      );
    };
    await expect(runK6Segmented({ script: 's.ts', maxDurationS: 5, instances: 2 }, fake)).rejects.toThrow('k6 missing');
    expect(stopped).toEqual([true]);
  });

  it('passes the caller\'s abort on to every process', async () => {
    const abort = new AbortController();
    let started = 0;
    const fake = (o: K6RunOptions): Promise<K6Result> =>
      new Promise((resolve) => {
        const killed = () => resolve(result({ exitCode: null, outcome: 'killed' }));
        o.signal!.addEventListener('abort', killed);
        if (++started === 2) abort.abort();
      });
    const merged = await runK6Segmented({ script: 's.ts', maxDurationS: 5, instances: 2, signal: abort.signal }, fake);
    expect(merged.outcome).toBe('killed');
    expect(merged.instances.map((r) => r.outcome)).toEqual(['killed', 'killed']);
  });
});
