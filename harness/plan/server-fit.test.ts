import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFolder } from '../scenario/scenario-files.ts';
import { selectVariants } from '../scenario/resolve.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { ROOT_CAUSE_SWITCHES, type ServerCapabilities } from './server-capabilities.ts';
import { fitToServer } from './server-fit.ts';

// The capabilities of harness/servers/sut.ts and sockudo.ts, as data (plan/ imports no profile).
const OURS: ServerCapabilities = {
  transports: ['ws', 'xhr_streaming', 'xhr_polling', 'sockjs'],
  webhooks: ['ws', 'xhr_streaming', 'xhr_polling', 'sockjs'],
  connectionCap: true,
  redisAdapter: true,
  switches: [...ROOT_CAUSE_SWITCHES],
  ourVersions: true,
  readinessModes: ['shallow', 'deep'],
  liveHeap: true,
};
const PEER: ServerCapabilities = { transports: ['ws'], webhooks: ['ws'], connectionCap: true, redisAdapter: true, switches: [], ourVersions: false, readinessModes: ['shallow'], liveHeap: false };

const variants = async (): Promise<ResolvedScenario[]> => {
  const { scenarios } = await loadScenarioFolder(resolve(import.meta.dirname, '../../scenarios'));
  return scenarios.flatMap((s) => selectVariants(s, 'all'));
};
const find = (all: ResolvedScenario[], id: string, variant: string) => all.find((s) => s.id === id && s.variant === variant)!;

describe('fitting a variant to a server', () => {
  it('changes nothing on our own server', async () => {
    const all = await variants();
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const s of all) {
      const fit = fitToServer(s, { name: 'sut', capabilities: OURS });
      expect(fit.applicable, `${s.id}/${s.variant}`).toBe(true);
      if (fit.applicable) expect(fit.scenario).toEqual(s);
    }
  });

  it('connection-limit on a WebSocket-only server: the fallback parts are left out, the cap applies', async () => {
    const all = await variants();
    const incident = fitToServer(find(all, 'connection-limit', 'incident'), { name: 'peer', capabilities: PEER, capRefusal: 'close:4100' });
    if (!incident.applicable) throw new Error(incident.reasons.join('; '));
    expect(incident.scenario.topology.deployments.map((d) => d.name)).toEqual(['old', 'new']);
    expect(incident.scenario.topology.deployments.find((d) => d.name === 'new')!.maxConnections).toBe(4);
    expect(incident.scenario.expectation).toEqual({ breach: ['conn-success', 'detection'] });
    expect(incident.scenario.probes.map((p) => p.id)).toEqual(['edge-ws', 'new-ws']);
    expect(incident.scenario.slos.map((s) => s.id)).not.toContain('fallback-latency');
    expect(incident.scenario.load.clients!.reconnect.fallbackAfterFailures).toBe(Number.MAX_SAFE_INTEGER);
    expect(incident.notes.join('\n')).toMatch(/OVER_CAP_MODE=drop not applied/);

    const remediated = fitToServer(find(all, 'connection-limit', 'remediated'), { name: 'peer', capabilities: PEER, capRefusal: 'close:4100' });
    if (!remediated.applicable) throw new Error(remediated.reasons.join('; '));
    const cap = remediated.scenario.slos.find((s) => s.id === 'new-cap-boundary');
    expect(cap).toMatchObject({ refusal: 'close:4100' });
    expect(remediated.scenario.slos.map((s) => s.id)).not.toContain('fallback-queue-boundary');
    // The live heap after a full collection is our server's own gauge: without it the leak SLO is left out, said why.
    expect(find(all, 'connection-limit', 'remediated').slos.map((s) => s.id)).toContain('memory-under-churn');
    expect(remediated.scenario.slos.map((s) => s.id)).not.toContain('memory-under-churn');
    expect(remediated.notes.join('\n')).toMatch(/SLO memory-under-churn left out: peer does not report its live heap/);
    const withHeap = fitToServer(find(all, 'connection-limit', 'remediated'), { name: 'peer', capabilities: { ...PEER, liveHeap: true }, capRefusal: 'close:4100' });
    expect(withHeap.applicable && withHeap.scenario.slos.map((s) => s.id)).toContain('memory-under-churn');
  });

  it('oom-cascade: a memory size applies; the capacity-model headroom check is ours', async () => {
    const all = await variants();
    const incident = fitToServer(find(all, 'oom-cascade', 'incident'), { name: 'peer', capabilities: PEER });
    if (!incident.applicable) throw new Error(incident.reasons.join('; '));
    expect(incident.scenario.expectation).toEqual({ breach: ['drops', 'edge-503', 'detection'] });
    expect(incident.notes.join('\n')).toMatch(/RETAINED_BYTES_PER_CONNECTION=\d+ not applied/);
    const remediated = fitToServer(find(all, 'oom-cascade', 'remediated'), { name: 'peer', capabilities: PEER });
    if (!remediated.applicable) throw new Error(remediated.reasons.join('; '));
    expect(remediated.scenario.probes.map((p) => p.kind)).not.toContain('memory-headroom');
    expect(remediated.scenario.slos.map((s) => s.id)).not.toContain('new-memory-headroom');
  });

  it('a code defect of ours is not applicable, its remediated variant is', async () => {
    const all = await variants();
    const incident = fitToServer(find(all, 'keepalive-desync', 'incident'), { name: 'peer', capabilities: PEER });
    expect(incident.applicable).toBe(false);
    if (!incident.applicable) expect(incident.reasons.join('\n')).toMatch(/root-cause switch KEEPALIVE_DOUBLE_4XX=true/);
    expect(fitToServer(find(all, 'keepalive-desync', 'remediated'), { name: 'peer', capabilities: PEER }).applicable).toBe(true);
  });

  it('our app versions and config files are not applicable', async () => {
    const all = await variants();
    const fits = all.filter((s) => s.id === 'config-rollback').map((s) => fitToServer(s, { name: 'peer', capabilities: PEER }));
    expect(fits.length).toBeGreaterThanOrEqual(2);
    for (const fit of fits) {
      expect(fit.applicable).toBe(false);
      if (!fit.applicable) expect(fit.reasons.join('\n')).toMatch(/app versions and config files/);
    }
  });
});

describe('an incident that lives in the parts left out', () => {
  it('is not applicable, even when a detection SLO would be left', async () => {
    const all = await variants();
    const fit = fitToServer(find(all, 'fallback-webhooks', 'incident'), { name: 'peer', capabilities: PEER });
    expect(fit.applicable).toBe(false);
    if (!fit.applicable) expect(fit.reasons.join('\n')).toMatch(/only the detection SLO detection would be left/);
  });
});
