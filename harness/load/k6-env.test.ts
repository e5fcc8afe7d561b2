import { describe, expect, it } from 'vitest';
import { APP } from './app.ts';
import { k6Env } from './k6-env.ts';
import type { K6ScriptParams } from '../scenario/k6-scripts.ts';

describe('k6Env', () => {
  it('gives the harness parameters, then the script\'s own, as the strings k6 reads', () => {
    const env = k6Env('ws-subscribers.ts', { port: 4100, app: APP, vus: 10, durationS: 30, maxConnections: 500 }, { CHANNELS: 4, RECONNECT: false });
    expect(env).toEqual({
      EDGE_HTTP: 'http://127.0.0.1:4100',
      EDGE_WS: 'ws://127.0.0.1:4100',
      APP_ID: APP.id,
      APP_KEY: APP.key,
      APP_SECRET: APP.secret,
      VUS: '10',
      DURATION_S: '30',
      MAX_CONNECTIONS: '500',
      CHANNELS: '4',
      RECONNECT: 'false',
    });
  });

  it('gives one URL per edge process, comma-separated, when the edge has several', () => {
    const env = k6Env('ws-subscribers.ts', { port: [4100, 4102, 4104], app: APP, vus: 1, durationS: 1 }, {});
    expect(env.EDGE_WS).toBe('ws://127.0.0.1:4100,ws://127.0.0.1:4102,ws://127.0.0.1:4104');
    expect(env.EDGE_HTTP).toBe('http://127.0.0.1:4100,http://127.0.0.1:4102,http://127.0.0.1:4104');
  });

  it('refuses a parameter the script does not declare, naming it', () => {
    const misspelt = { RATE_PR_S: 5 } as unknown as K6ScriptParams<'rest-publish.ts'>;
    expect(() => k6Env('rest-publish.ts', { port: 1, app: APP, vus: 1, durationS: 1 }, misspelt)).toThrow(/k6 rest-publish\.ts: .*RATE_PR_S/);
  });

  it('gives churn as the CHURN_* parameters of a script that churns, and refuses it elsewhere or out of range', () => {
    const churn = { CHURN_SHARE_PER_S: 0.1, CHURN_FROM_S: 10, CHURN_TO_S: 60, CHURN_AWAY_MS: 500 };
    const env = k6Env('ws-subscribers.ts', { port: 4100, app: APP, vus: 2, durationS: 60, churn }, {});
    expect(env).toMatchObject({ CHURN_SHARE_PER_S: '0.1', CHURN_FROM_S: '10', CHURN_TO_S: '60', CHURN_AWAY_MS: '500' });
    expect(() => k6Env('rest-publish.ts', { port: 1, app: APP, vus: 1, durationS: 1, churn }, {})).toThrow(/k6 rest-publish\.ts: does not churn its sockets/);
    expect(() => k6Env('ws-subscribers.ts', { port: 1, app: APP, vus: 1, durationS: 1, churn: { ...churn, CHURN_SHARE_PER_S: 0.5 } }, {})).toThrow(
      /k6 ws-subscribers\.ts: CHURN_SHARE_PER_S: /,
    );
  });
});

