import { describe, expect, it } from 'vitest';
import { mapLinesToWeights, MAX_EDGE_MAXCONN, renderHaproxyConfig, weightsToMapLines, type EdgeConfigSpec } from './haproxy-config.ts';

describe('edge weights as a map over 0..99', () => {
  it('splits the range in proportion to the weights', () => {
    expect(weightsToMapLines({ old: 30, new: 70 })).toEqual(['0:29 dep_old', '30:99 dep_new']);
    expect(weightsToMapLines({ old: 100, new: 0 })).toEqual(['0:99 dep_old']);
    expect(weightsToMapLines({ a: 1, b: 1, c: 1 })).toEqual(['0:32 dep_a', '33:66 dep_b', '67:99 dep_c']);
    expect(weightsToMapLines({ old: 50, new: 50 }, 'fallback')).toEqual(['0:49 fb_old', '50:99 fb_new']);
  });

  it('reads back what it wrote, including `show map` output with entry ids', () => {
    const lines = weightsToMapLines({ old: 20, new: 80 }).map((l, i) => `0x55${i} ${l}`);
    expect(mapLinesToWeights(lines)).toEqual({ old: 20, new: 80 });
    expect(mapLinesToWeights(weightsToMapLines({ old: 20, new: 80 }, 'fallback'))).toEqual({ old: 20, new: 80 });
  });

  it('refuses weights that send traffic nowhere', () => {
    expect(() => weightsToMapLines({ old: 0 })).toThrow(/at least one deployment/);
  });
});

describe('renderHaproxyConfig', () => {
  const spec: EdgeConfigSpec = {
    listeners: [{ name: 'public', port: 8080, mode: 'keep-alive', routes: { ws: { old: 30, new: 70 }, fallback: { fallback: 100 } } }],
    deployments: [
      { name: 'old', pods: [{ name: 'old-1', port: 7001 }] },
      { name: 'new', pods: [{ name: 'new-1', port: 7002 }, { name: 'new-2', port: 7003 }] },
      { name: 'fallback', pods: [{ name: 'fallback-1', port: 7004 }] },
    ],
    healthCheck: { enabled: true, intervalMs: 1000, fall: 2, rise: 1 },
    adminSocket: '/edge/admin.sock',
    mapDir: '/edge',
    maxconn: 8000,
  };

  it('binds loopback only, routes by path through the weight maps, and health-checks pods', () => {
    const cfg = renderHaproxyConfig(spec);
    expect(cfg).toContain('bind 127.0.0.1:8080');
    expect(cfg).not.toMatch(/bind (0\.0\.0\.0|\*|:)/);
    expect(cfg).toContain('use_backend %[rand(100),map_int(/edge/public-ws.map)] if { path_beg /app/ }');
    expect(cfg).toContain('use_backend %[path,word(5,/),crc32(1),mod(100),map_int(/edge/public-fallback.map)] if { path_beg /pusher/ }');
    // A fallback session sticks to one pod of its deployment; WebSockets round-robin.
    expect(cfg).toMatch(/backend fb_fallback\n  mode http\n  balance uri depth 5\n  hash-type consistent\n/);
    expect(cfg).toMatch(/backend dep_new\n  mode http\n  balance roundrobin\n/);
    expect(cfg).not.toContain('backend fb_new');
    expect(cfg).toContain('server new-2 127.0.0.1:7003 check inter 1000 fall 2 rise 1');
    expect(cfg).toContain('option httpchk GET /readyz');
  });

  it('closes server connections after each response in close mode (the proxy that masked the 2020 bug)', () => {
    const cfg = renderHaproxyConfig({ ...spec, listeners: [{ ...spec.listeners[0]!, mode: 'close' }] });
    expect(cfg).toContain('option http-server-close');
    expect(cfg).not.toContain('option http-keep-alive');
  });

  it('has no health checks when they are off (the 2021-12 deployment)', () => {
    const cfg = renderHaproxyConfig({ ...spec, healthCheck: { ...spec.healthCheck, enabled: false } });
    expect(cfg).toContain('server new-2 127.0.0.1:7003\n');
    expect(cfg).not.toContain('httpchk');
  });

  it('refuses a maxconn HAProxy could not honour within the descriptor limit', () => {
    expect(() => renderHaproxyConfig({ ...spec, maxconn: MAX_EDGE_MAXCONN + 1 })).toThrow(/descriptors/);
  });
});
