import { describe, expect, it } from 'vitest';
import tiny from '../scenario/fixtures/tiny.ts';
import { copyOf, validationMessage } from '../scenario/testing/validation-message.ts';
import { timelineMatchers } from '../run/live-conditions.ts';
import { none } from './fault.ts';
import { ACTION_TYPES, actionOf, actionRegistry } from './registry.ts';

// The registry is the one place an action is described: the scenario's action union, the load-time
// cross-checks and the live fold's matchers all come from it.

const typo = { kind: 'pods.ready', deployment: 'nwe', count: 1 };
/** Every action whose params can carry a condition, with params that put the misspelt one there. */
const WAITING: Record<string, { params: Record<string, unknown>; path: string }> = {
  'weights.shift': { params: { weights: { new: 10 }, gate: { condition: typo, timeoutS: 5 } }, path: 'params.gate.condition.deployment' },
  'deploy.rollout': { params: { appVersion: 'v2', gate: { condition: typo, timeoutS: 5 } }, path: 'params.gate.condition.deployment' },
  'deploy.rollback': { params: { scope: 'app', gate: { condition: typo, timeoutS: 5 } }, path: 'params.gate.condition.deployment' },
  'wait.until': { params: { condition: typo, timeoutS: 5 }, path: 'params.condition.deployment' },
};

describe('action registry', () => {
  it('keys each entry by its own type, and every action declares its target, waits and heal', () => {
    expect(ACTION_TYPES.length).toBe(15);
    for (const type of ACTION_TYPES) {
      const a = actionOf(type);
      expect(a.type).toBe(type);
      expect(['edge', 'deployment', 'pods', 'link', 'any']).toContain(a.target);
      expect(a.heal === null || typeof a.heal.run === 'function').toBe(true);
    }
    expect(Object.keys(actionRegistry).sort()).toEqual([...ACTION_TYPES].sort());
  });

  it('the actions that can wait on a condition are exactly those whose params hold one', () => {
    // `none` is what an action without conditions declares; a new action that waits belongs in WAITING.
    const waiting = ACTION_TYPES.filter((t) => actionOf(t).waitsOn !== none);
    expect([...waiting].sort()).toEqual(Object.keys(WAITING).sort());
    for (const [type, { params }] of Object.entries(WAITING)) {
      const parsed = actionRegistry[type as keyof typeof actionRegistry].params.parse(params);
      expect(actionOf(type as never).waitsOn(parsed), type).toHaveLength(1);
    }
  });

  it.each(Object.entries(WAITING))('a misspelt deployment in what %s waits on is refused at load time', (type, { params, path }) => {
    const s = copyOf(tiny);
    s.timeline.push({ at: 12, type, target: type === 'weights.shift' ? 'edge' : type === 'wait.until' ? 'anything' : 'new', params });
    const at = s.timeline.length - 1;
    expect(validationMessage(s)).toContain(`timeline[${at}].${path}: expected a deployment name ("old", "new"), got "nwe"`);
  });

  it('the live fold watches the events every gate and wait.until waits for', () => {
    const event = (n: number) => ({ kind: 'event', match: { type: 'action.applied', where: { index: n } } });
    const timeline = [
      { type: 'deploy.rollback', target: 'new', at: 1, params: actionRegistry['deploy.rollback'].params.parse({ scope: 'app', gate: { condition: event(1), timeoutS: 1 } }) },
      { type: 'wait.until', target: 'x', at: 2, params: actionRegistry['wait.until'].params.parse({ condition: event(2), timeoutS: 1 }) },
      { type: 'pod.kill', target: 'new/0', at: 3, params: { signal: 'SIGKILL' } },
    ] as Parameters<typeof timelineMatchers>[0];
    expect(timelineMatchers(timeline)).toEqual([event(1).match, event(2).match]);
  });
});
