import { describe, expect, it } from 'vitest';
import { HISTORY_EVENT_TYPES } from '../scenario/vocabulary.ts';
import { historyEventSchema, reasonKey } from './events.ts';

describe('history events', () => {
  it('the vocabulary lists exactly the event types of the union', () => {
    const union = historyEventSchema.options.map((o) => o.shape.type.value).sort();
    expect(union).toEqual([...HISTORY_EVENT_TYPES].sort());
  });

  it('reasonKey groups failures by kind and code', () => {
    expect(reasonKey({ reason: 'close', code: 1006 })).toBe('close:1006');
    expect(reasonKey({ reason: 'http', code: 502 })).toBe('http:502');
    expect(reasonKey({ reason: 'refused' })).toBe('refused');
    expect(reasonKey({})).toBe('error');
  });

  it('fills defaults and rejects an event with a wrong field', () => {
    expect(historyEventSchema.parse({ type: 'k6.point', t: 1, metric: 'ws_sessions', value: 1 })).toMatchObject({ tags: {} });
    expect(historyEventSchema.safeParse({ type: 'connect.outcome', t: 1, client: 'c', transport: 'carrier-pigeon', source: 'k6', ok: true }).success).toBe(false);
  });
});
