// The 2019-12 replay through the real CLI: verdicts, and the evidence that the mechanism really ran
// (what each pod reported, the refusal and its log line, the locks, the gate), read from summary.json.
import { describe, expect, it } from 'vitest';
import { replayInTest, slo, type ReplayResult } from './testing/replay.ts';

type Action = ReplayResult['summary']['actions'][number];
type PodEvidence = { pod: string; outcome: string; version?: string; configVersion?: string; exitCode?: number; logLine?: string; lockedBy?: string };

const actionsOf = (r: ReplayResult, type: string, target: string): Action[] => r.summary.actions.filter((a) => a.type === type && a.target === target);
const podsOf = (a: Action | undefined) => (a?.evidence?.pods ?? []) as PodEvidence[];
const running = (a: Action | undefined) => (a?.evidence?.running ?? {}) as Record<string, string>;
/** Pods per cluster: a check over "every pod" first checks there are this many. */
const PODS: Record<string, number> = { mt1: 3, ap2: 2, ap3: 1 };


describe('config-rollback (2019-12: app rolled back without its config)', () => {
  it('incident: v1 refuses config 2, the small clusters run no version, locks block the config rollback', async () => {
    const r = await replayInTest('config-rollback', 'incident');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('reproduced');
    for (const id of ['publish-success', 'delivery', 'rollback-recovery']) expect(slo(r, id).status).toBe('fail');

    // The deploy reached every pod: each reported v2 with config 2 itself.
    for (const d of ['mt1', 'ap2', 'ap3']) {
      const [deploy] = actionsOf(r, 'deploy.rollout', d);
      expect(deploy?.appliedAtS, `${d} deploy`).not.toBeNull();
      expect(Object.values(running(deploy))).toEqual(Array(PODS[d]).fill('v2 / config 2'));
    }

    // App-only rollback: every pod it restarted refused config 2 with exit 78 and said why.
    const [appAp2, configAp2, rerunAp2] = actionsOf(r, 'deploy.rollback', 'ap2');
    expect(appAp2?.evidence?.to).toBe('v1 / config 2');
    expect(podsOf(appAp2).map((p) => p.outcome)).toEqual(['refused', 'refused']);
    for (const p of podsOf(appAp2)) {
      expect(p.exitCode).toBe(78);
      expect(p.logLine).toMatch(/"msg":"config rejected".*app version v1 does not know config key\(s\) metricsServiceAddress/);
    }
    // No version runs on the small clusters after it...
    expect(running(appAp2)).toEqual({ 'ap2-1': 'down', 'ap2-2': 'down' });
    expect(running(actionsOf(r, 'deploy.rollback', 'ap3')[0])).toEqual({ 'ap3-1': 'down' });
    // ...while the large one stopped after its first refusal and kept serving on the others.
    const appMt1 = actionsOf(r, 'deploy.rollback', 'mt1')[0];
    expect(podsOf(appMt1).map((p) => [p.pod, p.outcome])).toEqual([['mt1-1', 'refused']]);
    expect(Object.values(running(appMt1)).filter((v) => v !== 'down')).toHaveLength(2);

    // The config rollback honours the locks the refused pods kept: they are skipped and stay down.
    expect(configAp2?.evidence?.to).toBe('v1 / config 1');
    expect((configAp2?.evidence?.skippedLocked as { pod: string; lockedBy: string }[]).map((s) => s.pod)).toEqual(['ap2-1', 'ap2-2']);
    expect((configAp2?.evidence?.skippedLocked as { lockedBy: string }[])[0]?.lockedBy).toMatch(/deploy\.rollback\(app\) ap2/);
    expect(running(configAp2)).toEqual({ 'ap2-1': 'down', 'ap2-2': 'down' });
    const configMt1 = actionsOf(r, 'deploy.rollback', 'mt1')[1];
    expect(podsOf(configMt1).map((p) => [p.pod, p.outcome])).toEqual([
      ['mt1-1', 'skipped-locked'],
      ['mt1-2', 'up'],
      ['mt1-3', 'up'],
    ]);

    // Cleared, the re-run brings the locked pods back with the old release.
    const unlock = actionsOf(r, 'deploy.unlock', 'ap2')[0];
    expect((unlock?.evidence?.cleared as { pod: string }[]).map((c) => c.pod)).toEqual(['ap2-1', 'ap2-2']);
    expect(running(rerunAp2)).toEqual({ 'ap2-1': 'v1 / config 1', 'ap2-2': 'v1 / config 1' });
    expect(running(actionsOf(r, 'deploy.rollback', 'mt1')[2])).toEqual({ 'mt1-1': 'v1 / config 1', 'mt1-2': 'v1 / config 1', 'mt1-3': 'v1 / config 1' });

    // The same story as typed evidence: one rollback decision per rollback action (recovery counts
    // from the first), and each pod the rollbacks touched.
    const rollbacks = r.summary.actions.filter((a) => a.type === 'deploy.rollback');
    const byIndex = (a: number, b: number) => a - b;
    expect(r.summary.evidence.rollbacks.map((d) => d.index!).sort(byIndex)).toEqual(rollbacks.map((a) => a.index).sort(byIndex));
    expect(r.summary.evidence.rollbacks[0]).toMatchObject({ scope: 'app', from: 'v2 / config 2', to: 'v1 / config 2' });
    const refused = r.summary.evidence.deploys.filter((p) => p.deploy.startsWith('deploy.rollback(app) ap2'));
    // One batch: both pods restart together, so their events come in either order.
    expect(refused.map((p) => [p.pod, p.outcome, p.exitCode]).sort()).toEqual([
      ['ap2-1', 'refused', 78],
      ['ap2-2', 'refused', 78],
    ]);
  });

  it('tolerant-config: v1 runs with config 2, so the app-only rollback works and nothing is locked', async () => {
    const r = await replayInTest('config-rollback', 'tolerant-config');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('reproduced');
    expect(slo(r, 'delivery').status).toBe('fail');
    expect(slo(r, 'publish-success').status).toBe('pass');
    expect(slo(r, 'rollback-recovery').status).toBe('pass');
    for (const d of ['ap2', 'ap3', 'mt1']) {
      const [app, config] = actionsOf(r, 'deploy.rollback', d);
      expect(app?.error, `${d} app-only rollback`).toBeNull();
      expect(podsOf(app).map((p) => [p.outcome, p.version, p.configVersion])).toEqual(Array(PODS[d]).fill(['up', 'v1', '2']));
      expect(app?.evidence?.locksLeft).toEqual([]);
      expect(config?.evidence?.skippedLocked).toEqual([]);
    }
  });

  it('remediated: the first cluster fails its gate, is rolled back whole, and the release goes no further', async () => {
    const r = await replayInTest('config-rollback', 'remediated');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary.verdict.status).toBe('held');
    for (const id of ['publish-success', 'delivery', 'rollback-recovery']) expect(slo(r, id).status).toBe('pass');

    const [canary] = actionsOf(r, 'deploy.rollout', 'ap3');
    expect(podsOf(canary).map((p) => [p.pod, p.outcome, p.version, p.configVersion])).toEqual([['ap3-1', 'up', 'v2', '2']]);
    const gates = canary?.evidence?.gates as { passed: boolean; detail: string }[];
    expect(gates.map((g) => g.passed)).toEqual([false]);
    expect(gates[0]?.detail).toMatch(/^messages\.received >= 37 over the last 3 s/);
    // Immutable release: the rollback restores app and config together, and v1 starts under strict parsing.
    expect(canary?.evidence?.rolledBackTo).toBe('v1 / config 1');
    expect(running(canary)).toEqual({ 'ap3-1': 'v1 / config 1' });
    for (const d of ['ap2', 'mt1']) {
      const [next] = actionsOf(r, 'deploy.rollout', d);
      expect(next?.error).toMatch(/v2 \/ config 2 not rolled out: its gate failed on ap3/);
      expect(Object.values(running(next))).toEqual(Array(PODS[d]).fill('v1 / config 1'));
    }
    // The failed gate and the decision it caused, as typed evidence.
    expect(r.summary.evidence.gates.map((g) => [g.action, g.target, g.passed, g.afterPods])).toEqual([['deploy.rollout', 'ap3', false, ['ap3-1']]]);
    expect(r.summary.evidence.rollbacks).toHaveLength(1);
    expect(r.summary.evidence.rollbacks[0]).toMatchObject({ deployment: 'ap3', scope: 'app+config', to: 'v1 / config 1' });
  });
});
