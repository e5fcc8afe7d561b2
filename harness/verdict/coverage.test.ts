import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { observeSync } from '../metrics/fold.ts';
import tiny from '../scenario/fixtures/tiny.ts';
import { validateScenario } from '../scenario/resolve.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { Slo } from '../scenario/schema.ts';
import { signalGap } from './coverage.ts';

// Which sources an SLO depends on and when they count as silent (the recorded-run tests in
// unknown.test.ts cover delivery probes, the sampler and k6 on real histories; here the webhook
// probe, windows and the per-rate threshold, on hand-built events).

const base = validateScenario(tiny, 'tiny.ts').resolved.remediated!;
const scenario: ResolvedScenario = {
  ...base,
  probes: [
    { kind: 'webhook', id: 'wh-ws', transport: 'ws', events: ['member_added'], ratePerS: 2 },
    { kind: 'webhook', id: 'wh-polling', transport: 'xhr_polling', events: ['member_added'], ratePerS: 1 },
  ],
};

const webhookSlo = (transport: string, window?: { from: number; to: number }): Slo => ({
  id: `webhooks-${transport}`,
  title: 'webhooks arrive',
  why: 'each expected webhook arrives',
  kind: 'ratio',
  numerator: { metric: 'webhooks.received', where: { transport } },
  denominator: { metric: 'webhooks.expected', where: { transport } },
  threshold: 'rate>=0.99',
  ...(window ? { window } : {}),
});

/** One fresh client per tick, as the webhook probe does; `silent(t)` drops the ticks of a stuck probe. */
function ticks(probe: string, transport: 'ws' | 'xhr_polling', everyMs: number, silent: (t: number) => boolean): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (let t = 0, n = 0; t < 30_000; t += everyMs, n++) {
    if (!silent(t)) out.push({ type: 'connect.attempt', t, client: `${probe}/wh-${n}`, transport, source: 'probe' });
  }
  return out;
}

const teardown: HistoryEvent = { type: 'run.phase', t: 30_000, phase: 'teardown' };
const observe = (events: HistoryEvent[]) => observeSync([...events, teardown].sort((a, b) => a.t - b.t), { durationS: 30 });

describe('signal coverage per SLO', () => {
  const obs = observe([...ticks('wh-ws', 'ws', 500, (t) => t >= 10_000 && t < 16_000), ...ticks('wh-polling', 'xhr_polling', 1000, (t) => t >= 10_000 && t < 13_000)]);

  it('a webhook probe that started no client for 6.5 s makes its webhook SLO unknown, with the seconds', () => {
    expect(signalGap(webhookSlo('ws'), scenario, obs)).toBe('probe wh-ws sent nothing for 6.5 s (t=9.5-16.0 s)');
  });

  it('a silence outside the judged window does not count', () => {
    expect(signalGap(webhookSlo('ws', { from: 20, to: 30 }), scenario, obs)).toBeUndefined();
    expect(signalGap(webhookSlo('ws', { from: 12, to: 30 }), scenario, obs)).toBe('probe wh-ws sent nothing for 4.0 s (t=12.0-16.0 s)');
  });

  it('the threshold follows the probe rate: 4 s without a tick at 1/s is silent, not 3 s', () => {
    expect(signalGap(webhookSlo('xhr_polling'), scenario, obs)).toBeUndefined();
    const longer = observe(ticks('wh-polling', 'xhr_polling', 1000, (t) => t >= 10_000 && t < 14_000));
    expect(signalGap(webhookSlo('xhr_polling'), scenario, longer)).toBe('probe wh-polling sent nothing for 5.0 s (t=9.0-14.0 s)');
  });

  it('a declared probe that never sent anything is silent for the whole window', () => {
    const none = observe(ticks('wh-ws', 'ws', 500, () => false));
    expect(signalGap(webhookSlo('xhr_polling'), scenario, none)).toBe('probe wh-polling sent nothing for 30.0 s (t=0.0-30.0 s)');
  });

  it('the delivery-semantics kinds depend on their own probe: a webhook check on the silent probe is unknown, on the other not', () => {
    const stray = (probe: string): Slo => ({ id: `${probe}-stray`, title: 'stray', why: 'none stray', kind: 'webhook', probe, check: 'stray', threshold: 'count==0' });
    expect(signalGap(stray('wh-ws'), scenario, obs)).toBe('probe wh-ws sent nothing for 6.5 s (t=9.5-16.0 s)');
    expect(signalGap(stray('wh-polling'), scenario, obs)).toBeUndefined();
  });

  it('an SLO filtered to another transport does not depend on the silent probe', () => {
    const delivery: Slo = { id: 'lost', title: 'lost', why: 'none lost', kind: 'count', metric: 'delivery.lost', where: { transport: 'xhr_streaming' }, threshold: 'count==0' };
    expect(signalGap(delivery, scenario, obs)).toBeUndefined();
  });
});
