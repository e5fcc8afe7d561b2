import { describe, expect, it } from 'vitest';
import { describeRelease, ReleaseError, ReleaseHistory } from './release-history.ts';

const c1 = { version: '1', values: { activityTimeout: 120 } };
const c2 = { version: '2', values: { activityTimeout: 120, metricsServiceAddress: 'metrics:8125' } };

describe('ReleaseHistory', () => {
  it('a roll-out changes only what it names and remembers the release before it', () => {
    const h = new ReleaseHistory({ appVersion: 'v1', config: c1 });
    const next = h.next({ appVersion: 'v2', config: c2.values, configVersion: '2' });
    expect(next).toEqual({ appVersion: 'v2', config: c2 });
    h.rollOut(next);
    expect(h.current).toEqual({ appVersion: 'v2', config: c2 });
    expect(h.previous).toEqual({ appVersion: 'v1', config: c1 });
    expect(h.next({ appVersion: 'v3' })).toEqual({ appVersion: 'v3', config: c2 });
  });

  it('an app-only rollback keeps the current config (the 2019-12 procedure); app+config restores both', () => {
    const h = new ReleaseHistory({ appVersion: 'v1', config: c1 });
    h.rollOut(h.next({ appVersion: 'v2', config: c2.values, configVersion: '2' }));
    expect(h.rollBack('app')).toEqual({ appVersion: 'v1', config: c2 });
    expect(describeRelease(h.current)).toBe('v1 / config 2');
    expect(h.rollBack('app+config')).toEqual({ appVersion: 'v1', config: c1 });
  });

  it('rolling back again aims at the same release (a re-run), never further back', () => {
    const h = new ReleaseHistory({ appVersion: 'v1', config: c1 });
    h.rollOut(h.next({ appVersion: 'v2' }));
    h.rollOut(h.next({ appVersion: 'v3' }));
    expect(h.rollBack('app+config').appVersion).toBe('v2');
    expect(h.rollBack('app+config').appVersion).toBe('v2');
  });

  it('re-deploys a config version it already had by its number alone', () => {
    const h = new ReleaseHistory({ appVersion: 'v1', config: c1 });
    h.rollOut(h.next({ config: c2.values, configVersion: '2' }));
    expect(h.next({ configVersion: '1' })).toEqual({ appVersion: 'v1', config: c1 });
    expect(() => h.next({ configVersion: '9' })).toThrow(/config version 9 was never deployed here/);
  });

  it('numbers a config given without a version after the ones it knows', () => {
    const h = new ReleaseHistory({ appVersion: 'v1', config: c1 });
    expect(h.next({ config: { activityTimeout: 60 } }).config?.version).toBe('2');
  });

  it('refuses a rollback when nothing was rolled out', () => {
    const h = new ReleaseHistory({ appVersion: 'v1' });
    expect(() => h.rollBack('app')).toThrow(ReleaseError);
    expect(h.current).toEqual({ appVersion: 'v1' });
  });
});
