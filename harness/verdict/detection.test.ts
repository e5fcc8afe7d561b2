import { describe, expect, it } from 'vitest';
import { observeSync } from '../metrics/fold.ts';
import type { Slo } from '../scenario/schema.ts';
import { foldOptionsFor } from './judge.ts';
import { judgeSlo } from './slo.ts';
import type { AlertFiring } from '../metrics/alert-rules.ts';
import { connects } from './fixtures/histories.ts';
import oomCascade from '../../scenarios/oom-cascade.ts';
import { resolveVariant, validateScenario } from '../scenario/resolve.ts';
import type { HistoryEvent } from '../history/events.ts';

const slo = (whenNoFault: 'pass' | 'unknown' = 'unknown'): Extract<Slo, { kind: 'detection' }> => ({
  id: 'detect',
  title: 'detection',
  why: 'w',
  kind: 'detection',
  alert: 'connect-failures',
  fault: { type: 'connect.outcome', where: { ok: false } },
  threshold: 'value<=20',
  whenNoFault,
  window: undefined,
});
const firing = (firedAtS: number, resolvedAtS: number | null = null): AlertFiring => ({ alert: 'connect-failures', title: '', firedAtS, resolvedAtS, subject: undefined });
const options = { matchers: [slo().fault] };
// The first rejected connection is at 12.0 s (the first attempt of second 12 fails).
const history = connects({ seconds: 60, perS: 100, deployment: 'new', fail: (s) => (s >= 12 ? 10 : 0) });

describe('detection time', () => {
  it('is the first firing after the fault minus the fault time', () => {
    const r = judgeSlo(slo(), observeSync(history, options), [firing(30)]);
    expect(r).toMatchObject({ status: 'pass', value: 18, detail: 'fault at 12 s, alert connect-failures fired at 30 s' });
  });

  it('fails when the alert fires too late', () => {
    expect(judgeSlo(slo(), observeSync(history, options), [firing(40)])).toMatchObject({ status: 'fail', value: 28 });
  });

  it('fails, with no value, when the alert never fires (the customers noticed first)', () => {
    const r = judgeSlo(slo(), observeSync(history, options), []);
    expect(r).toMatchObject({ status: 'fail', value: null });
    expect(r.detail).toBe('not detected: alert connect-failures never fired after the fault at 12 s');
  });

  it('ignores firings that ended before the fault; one still firing detects at once', () => {
    expect(judgeSlo(slo(), observeSync(history, options), [firing(2, 5), firing(25)])).toMatchObject({ value: 13 });
    expect(judgeSlo(slo(), observeSync(history, options), [firing(5, null)])).toMatchObject({ value: 0, status: 'pass' });
  });

  it('with no fault in the history, says so: pass only when the scenario chose so', () => {
    const clean = connects({ seconds: 30, perS: 10, deployment: 'new' });
    expect(judgeSlo(slo('unknown'), observeSync(clean, options), []).status).toBe('unknown');
    const r = judgeSlo(slo('pass'), observeSync(clean, options), []);
    expect(r.status).toBe('pass');
    expect(r.detail).toMatch(/never happened/);
  });

  it('foldOptionsFor watches every detection fault and recovery start', () => {
    const scenario = { slos: [slo()], topology: { webhooks: { deadlineS: 3 } }, durationS: 60 } as unknown as Parameters<typeof foldOptionsFor>[0];
    expect(foldOptionsFor(scenario)).toEqual({ matchers: [slo().fault], webhookDeadlineMs: 3000, durationS: 60 });
  });
});

describe('detection of an OOM kill the restart policy undoes within one sampler interval', () => {
  const remediated = resolveVariant(validateScenario(oomCascade, 'scenarios/oom-cascade.ts'), 'remediated');
  const detection = remediated.slos.find((s) => s.id === 'detection') as Extract<Slo, { kind: 'detection' }>;
  // new-1 is killed and back between the samples at 20 s and 21 s: never sampled dead.
  const samples: HistoryEvent[] = Array.from({ length: 30 }, (_, s) => ({
    type: 'pod.sample',
    t: s * 1000 + 500,
    deployment: 'new',
    pod: 'new-1',
    state: 'running',
    ready: s !== 21,
    restarts: s > 20 ? 1 : 0,
    oomKilled: s > 20,
    connections: { ws: s > 20 ? 0 : 150 },
  }));

  it('starts the clock at the first sample with Docker\'s OOM flag, and fails when no page follows', () => {
    const r = judgeSlo(detection, observeSync(samples, foldOptionsFor(remediated)), []);
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/never fired after the fault at 21(\.5)? s/);
  });

  it('passes with a page within 10 s of it', () => {
    const page: AlertFiring = { alert: detection.alert, title: '', firedAtS: 25, resolvedAtS: null, subject: undefined };
    expect(judgeSlo(detection, observeSync(samples, foldOptionsFor(remediated)), [page])).toMatchObject({ status: 'pass' });
  });
});

