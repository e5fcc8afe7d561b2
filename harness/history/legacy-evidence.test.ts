import { describe, expect, it } from 'vitest';
import { judgeText, recorded } from '../verdict/fixtures/recorded.ts';
import type { EventOf } from './events.ts';
import { typedFromLegacyLine } from './legacy-evidence.ts';

const line = (tag: string, text: string, source = 'deploy'): EventOf<'log.line'> => ({ type: 'log.line', t: 1234, source, stream: 'stdout', tag, line: text });

describe('evidence lines of older histories', () => {
  it('a pod.final line becomes the pod.final event it stood for', () => {
    const text = JSON.stringify({ deployment: 'new', running: false, status: 'exited', exitCode: 137, oomKilled: true, restartCount: 0, tail: ['killed'] });
    expect(typedFromLegacyLine(line('pod.final', text, 'new-2'))).toEqual({
      type: 'pod.final',
      t: 1234,
      deployment: 'new',
      pod: 'new-2',
      running: false,
      status: 'exited',
      exitCode: 137,
      oomKilled: true,
      restartCount: 0,
      tail: ['killed'],
    });
  });

  it('both rollback lines the deploy actions wrote become rollback.decided', () => {
    expect(typedFromLegacyLine(line('rollback.decided', 'ap2: rollback (app) from v2 / config 2 to v1 / config 2'))).toEqual({
      type: 'rollback.decided',
      t: 1234,
      deployment: 'ap2',
      scope: 'app',
      from: 'v2 / config 2',
      to: 'v1 / config 2',
      why: 'deploy.rollback (app)',
    });
    expect(typedFromLegacyLine(line('rollback.decided', 'ap3: gate failed after ap3-1; rolling back to v1 / config 1'))).toEqual({
      type: 'rollback.decided',
      t: 1234,
      deployment: 'ap3',
      scope: 'app+config',
      to: 'v1 / config 1',
      why: 'gate failed after ap3-1',
    });
  });

  it('an unreadable or untyped line stays a log line only', () => {
    expect(typedFromLegacyLine(line('pod.final', '{"deployment": "new", tail'))).toBeUndefined();
    expect(typedFromLegacyLine(line('pod.final', '{"tail": []}'))).toBeUndefined();
    expect(typedFromLegacyLine(line('rollback.decided', 'someone decided something'))).toBeUndefined();
    expect(typedFromLegacyLine(line('deploy.pod', 'deploy.rollout web → v2 / config 2: web-1: up, v2 / config 2'))).toBeUndefined();
  });

  it('a recorded run of the older format re-judges as before and its pods reach the evidence, one per pod', async () => {
    const { plan, text } = await recorded('connection-limit-remediated');
    expect(text).toContain('"tag":"pod.final"');
    const { judgement: j } = await judgeText(plan, text);
    expect(j.verdict).toMatchObject({ status: 'held', met: true });
    const pods = j.observation.evidence.pods;
    expect(pods.map((p) => p.pod).sort()).toEqual(['fallback-1', 'new-1', 'new-2', 'old-1', 'old-2']);
    expect(pods.find((p) => p.pod === 'new-1')).toMatchObject({ deployment: 'new', running: true, counters: { refusedByReason: expect.any(Object) } });
  });
});
