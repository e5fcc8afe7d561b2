import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { observeSync } from './fold.ts';

const req = (t: number, id: string, valid = true): HistoryEvent => ({ type: 'rest.request', t, probe: 'rest', id, kind: 'publish', valid, deployment: 'api' });
const res = (t: number, id: string, status: number, got: string): HistoryEvent => ({ type: 'rest.response', t, probe: 'rest', id, status, expected: `fp-${id}`, got, deployment: 'api', latencyMs: 5 });

describe('REST alignment checker', () => {
  it('flags responses that belong to another request after a double response', () => {
    // r2 is oversized (413); the server answers it twice, so r3 receives r2's second answer, and so on.
    const h = [req(0, 'r1'), res(10, 'r1', 200, 'fp-r1'), req(20, 'r2', false), res(30, 'r2', 413, 'fp-r2'), req(40, 'r3'), res(50, 'r3', 413, 'fp-r2'), req(60, 'r4'), res(70, 'r4', 200, 'fp-r3')];
    const o = observeSync(h);
    expect(o.rest).toMatchObject({ requests: 4, responses: 4, aligned: 2, misaligned: 2, validRequests: 3, valid4xx: 1, unanswered: 0, byStatusClass: { '2xx': 2, '4xx': 2 } });
    expect(o.rest.examples[0]).toEqual({ id: 'r3', t: 50, status: 413, expected: 'fp-r3', got: 'fp-r2' });
    expect(o.metrics.counterTotal('rest.misaligned')).toBe(2);
    expect(o.metrics.counterTotal('rest.valid4xx')).toBe(1);
    expect(o.metrics.counterTotal('rest.status4xx')).toBe(2);
    expect(o.metrics.counterTotal('rest.responses', { status: '2xx' })).toBe(2);
  });

  it('an oversized request answered 413 is neither misaligned nor a 4xx on a valid request', () => {
    const o = observeSync([req(0, 'a', false), res(5, 'a', 413, 'fp-a')]);
    expect(o.rest).toMatchObject({ misaligned: 0, valid4xx: 0 });
  });

  it('counts requests that never got a response', () => {
    const o = observeSync([req(0, 'a'), req(10, 'b'), res(20, 'a', 200, 'fp-a')]);
    expect(o.rest.unanswered).toBe(1);
    expect(o.metrics.counterTotal('rest.status2xx') / o.metrics.counterTotal('rest.requests')).toBe(0.5);
  });
});

describe('REST series labels', () => {
  it('labels responses with their request kind, so publish success can be judged alone', () => {
    const o = observeSync([
      { type: 'rest.request', t: 0, probe: 'rest', id: 'p1', kind: 'publish', valid: true },
      { type: 'rest.response', t: 5, probe: 'rest', id: 'p1', status: 503, expected: 'p1', got: 'p1' },
      { type: 'rest.request', t: 10, probe: 'rest', id: 'q1', kind: 'channel-info', valid: true },
      { type: 'rest.response', t: 15, probe: 'rest', id: 'q1', status: 200, expected: 'q1', got: 'q1' },
    ]);
    expect(o.metrics.counterTotal('rest.status2xx', { kind: 'publish' })).toBe(0);
    expect(o.metrics.counterTotal('rest.requests', { kind: 'publish' })).toBe(1);
    expect(o.metrics.counterTotal('rest.status5xx', { kind: 'publish' })).toBe(1);
  });
});
