import type { z } from 'zod';
import { deployRollback } from './deploy-rollback.ts';
import { deployRollout } from './deploy-rollout.ts';
import { deployUnlock } from './deploy-unlock.ts';
import { deploymentScale } from './deployment-scale.ts';
import type { ActionDefinition } from './fault.ts';
import { podEnv } from './pod-env.ts';
import { podKill } from './pod-kill.ts';
import { podOom } from './pod-oom.ts';
import { podPause } from './pod-pause.ts';
import { podRestart } from './pod-restart.ts';
import { proxyDisable, proxyEnable } from './proxy-toggle.ts';
import { toxicAdd, toxicRemove } from './toxic-add.ts';
import { waitUntil } from './wait-until.ts';
import { weightsShift } from './weights-shift.ts';

/**
 * Every timeline action, one entry each (one file each, Toxiproxy's toxics). The scenario schema's
 * action union, each action's params type and the load-time cross-checks are derived from this
 * list, so a new action is its file plus one line here.
 */
const ACTIONS = [
  weightsShift,
  podKill,
  podOom,
  podRestart,
  podPause,
  toxicAdd,
  toxicRemove,
  proxyDisable,
  proxyEnable,
  deployRollout,
  deployRollback,
  deployUnlock,
  podEnv,
  deploymentScale,
  waitUntil,
] as const;

type AnyAction = (typeof ACTIONS)[number];
export type ActionType = AnyAction['type'];
export type ActionOf<T extends ActionType> = Extract<AnyAction, { type: T }>;
/** Params after defaults are applied (what the runtime receives). */
export type ActionParams<T extends ActionType> = z.output<ActionOf<T>['params']>;
/** Params as a scenario author writes them (defaults optional). */
export type ActionParamsInput<T extends ActionType> = z.input<ActionOf<T>['params']>;

export const actionRegistry = Object.fromEntries(ACTIONS.map((a) => [a.type, a])) as { [T in ActionType]: ActionOf<T> };
export const ACTION_TYPES: readonly ActionType[] = ACTIONS.map((a) => a.type);

/** The registry entry of a type, typed loosely for code that handles every action alike. */
export function actionOf(type: ActionType): ActionDefinition {
  return actionRegistry[type] as unknown as ActionDefinition;
}
