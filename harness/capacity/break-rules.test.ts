import { describe, expect, it } from 'vitest';
import { connectionBreak, messageBreak } from './break-rules.ts';
import type { ConnectionStep, MessageStep } from './capacity-schema.ts';

const slo = { connectP99Ms: 1000, publishP99Ms: 250, minDeliveredRatio: 0.95, maxCpuUtilisation: 0.6 };
const alive = { running: true, oomKilled: false, exitCode: null };
const step = (over: Partial<ConnectionStep> = {}): ConnectionStep => ({ atS: 1, connections: 100, attempted: 100, memoryMb: 50, cpuCores: 0.1, connectP99Ms: 10, failures: 0, refused: 0, ...over });
const mstep = (over: Partial<MessageStep> = {}): MessageStep => ({ atS: 4, offeredRatePerS: 100, publishes: 400, publishP99Ms: 20, unexpected: 0, dropped: 0, deliveredPerS: 10_000, deliveredRatio: 1, cpuCores: 0.2, utilisation: 0.4, memoryMb: 100, ...over });

describe('connectionBreak', () => {
  it('holds a healthy step', () => {
    expect(connectionBreak({ steps: [step(), step()], pod: alive, failureReasons: [], slo, memoryMb: 96 })).toBeUndefined();
  });

  it('names an OOM kill before the failures it caused', () => {
    const b = connectionBreak({ steps: [step()], pod: { running: false, oomKilled: true, exitCode: 137 }, failureReasons: ['close:1006'], slo, memoryMb: 96 });
    expect(b).toMatchObject({ kind: 'oom-killed', reason: 'the kernel OOM-killed the pod at its 96 MiB limit' });
  });

  it('tells another exit apart', () => {
    expect(connectionBreak({ steps: [step()], pod: { running: false, oomKilled: false, exitCode: 1 }, failureReasons: [], slo, memoryMb: 96 })?.kind).toBe('exited');
  });

  it('breaks on refusals, from the clients or from the pod counter', () => {
    expect(connectionBreak({ steps: [step()], pod: alive, failureReasons: ['close:1006', 'close:1006'], slo, memoryMb: 96 })?.reason).toBe('connections failed: 2× close:1006');
    expect(connectionBreak({ steps: [step(), step({ refused: 3 })], pod: alive, failureReasons: [], slo, memoryMb: 96 })?.reason).toBe('connections failed: 3 refused by the pod');
  });

  it('breaks the connect SLO only when two steps in a row are over it', () => {
    expect(connectionBreak({ steps: [step(), step({ connectP99Ms: 1500 })], pod: alive, failureReasons: [], slo, memoryMb: 96 })).toBeUndefined();
    expect(connectionBreak({ steps: [step({ connectP99Ms: 1200 }), step({ connectP99Ms: 1500 })], pod: alive, failureReasons: [], slo, memoryMb: 96 })?.kind).toBe('slo');
  });
});

describe('messageBreak', () => {
  it('holds a healthy rate', () => {
    expect(messageBreak({ repeats: [mstep(), mstep()], pod: alive, slo, memoryMb: 256 })).toBeUndefined();
    expect(messageBreak({ repeats: [], pod: alive, slo, memoryMb: 256 })).toBeUndefined();
  });

  it('ends the run once the median repeat passes the planned CPU utilisation, not on one noisy repeat', () => {
    expect(messageBreak({ repeats: [mstep({ utilisation: 0.9 }), mstep(), mstep()], pod: alive, slo, memoryMb: 256 })).toBeUndefined();
    const b = messageBreak({ repeats: [mstep({ utilisation: 0.61 }), mstep({ utilisation: 0.65 }), mstep()], pod: alive, slo, memoryMb: 256 });
    expect(b).toMatchObject({ kind: 'cpu-target', value: 100, reason: 'CPU at 61% of its limit (median of 3), past the planned 60%' });
  });

  it('breaks when the pod falls behind: delivered < published × fan-out', () => {
    expect(messageBreak({ repeats: [mstep({ deliveredRatio: 0.9 })], pod: alive, slo, memoryMb: 256 })?.reason).toMatch(/delivered 90\.0%/);
  });

  it('records slow publishes and publishes k6 could not start, without ending the run', () => {
    expect(messageBreak({ repeats: [mstep({ publishP99Ms: 3000, dropped: 50 }), mstep({ publishP99Ms: 900 })], pod: alive, slo, memoryMb: 256 })).toBeUndefined();
  });

  it('breaks on non-200 publishes and on a dead pod first', () => {
    expect(messageBreak({ repeats: [mstep(), mstep({ unexpected: 2 })], pod: alive, slo, memoryMb: 256 })).toMatchObject({ kind: 'refusal', reason: '2 publishes answered other than 200' });
    expect(messageBreak({ repeats: [mstep({ unexpected: 2 })], pod: { running: false, oomKilled: true, exitCode: 137 }, slo, memoryMb: 256 })?.kind).toBe('oom-killed');
  });
});
