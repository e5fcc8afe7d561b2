import { describe, expect, it } from 'vitest';
import { k6Issues } from './k6-checks.ts';
import type { ScenarioBody } from './scenario-schema.ts';

const withK6 = (k6: { script: string; params: Record<string, string | number | boolean>; churn?: { sharePerS: number; awayMs: number } }[]) =>
  ({ load: { k6: k6.map((r) => ({ ...r, vus: 1, durationS: 10 })) } }) as unknown as Pick<ScenarioBody, 'load'>;

describe('k6 params against the script table', () => {
  it('accepts the parameters each script declares', () => {
    expect(
      k6Issues(
        withK6([
          { script: 'rest-publish.ts', params: { RATE_PER_S: 20, PAYLOAD_BYTES: 200, CHANNELS: 4, OVERSIZED_EVERY: 10, KEEP_ALIVE: true } },
          { script: 'ws-subscribers.ts', params: { SOCKETS_PER_VU: 5, CHANNEL_KIND: 'private', RECONNECT: false } },
        ]),
      ),
    ).toEqual([]);
  });

  it('names a misspelt parameter and the allowed ones', () => {
    const issues = k6Issues(withK6([{ script: 'rest-publish.ts', params: { RATE_PR_S: 5 } }]));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('load.k6[0].params.RATE_PR_S');
    expect(issues[0]!.message).toBe(
      'unknown parameter of rest-publish.ts: expected one of "RATE_PER_S", "PAYLOAD_BYTES", "CHANNELS", "CHANNEL_KIND", "EVENT", "OVERSIZED_EVERY", "KEEP_ALIVE", "REPORT_EVERY_MS" (harness/scenario/k6-scripts.ts), got "RATE_PR_S"',
    );
  });

  it('refuses a parameter the harness sets, saying where it comes from', () => {
    const issues = k6Issues(withK6([{ script: 'ws-subscribers.ts', params: { VUS: 3, EDGE_WS: 'ws://10.0.0.1:80' } }]));
    expect(issues.map((i) => i.path)).toEqual(['load.k6[0].params.VUS', 'load.k6[0].params.EDGE_WS']);
    expect(issues[0]!.message).toMatch(/set by the harness for every script \(use load\.k6\[\]\.vus\)/);
  });

  it('checks the value of a known parameter', () => {
    const issues = k6Issues(withK6([{ script: 'ws-subscribers.ts', params: { CHANNEL_KIND: 'secret', RECONNECT: 'no' } }]));
    expect(issues.map((i) => i.path)).toEqual(['load.k6[0].params.CHANNEL_KIND', 'load.k6[0].params.RECONNECT']);
    expect(issues[0]!.message).toMatch(/expected one of "public", "private", "presence"/);
    expect(issues[1]!.message).toMatch(/expected a boolean/);
  });

  it('refuses a churn parameter in params, pointing at load.k6[].churn', () => {
    const issues = k6Issues(withK6([{ script: 'ws-subscribers.ts', params: { CHURN_SHARE_PER_S: 0.1 } }]));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('load.k6[0].params.CHURN_SHARE_PER_S');
    expect(issues[0]!.message).toMatch(/set by the harness from load\.k6\[\]\.churn/);
  });

  it('accepts churn on a script that churns its sockets, and refuses it on one that does not', () => {
    const churn = { sharePerS: 0.1, awayMs: 1000 };
    expect(k6Issues(withK6([{ script: 'ws-subscribers.ts', params: {}, churn }]))).toEqual([]);
    const issues = k6Issues(withK6([{ script: 'rest-publish.ts', params: {}, churn }]));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('load.k6[0].churn');
    expect(issues[0]!.message).toBe('rest-publish.ts does not churn its sockets: churn is read by "ws-subscribers.ts"; remove churn or use one of those');
  });
});
