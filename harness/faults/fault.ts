import type { z } from 'zod';
import type { History } from '../history/history.ts';
import type { Condition } from '../scenario/conditions.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { StartedTopology } from '../topology/topology.ts';
import type { FaultState } from './fault-state.ts';

/** Which timeline action is running: its index in the timeline, its type and target. */
export interface ActionRef {
  index: number;
  type: string;
  target: string;
}

export interface FaultContext {
  scenario: ResolvedScenario;
  topology: StartedTopology;
  history: History;
  /** What faults changed since start (weights, env, releases, locks); the topology's spec stays as started. */
  state: FaultState;
  signal: AbortSignal;
  /** Live evaluation of scenario conditions (wait.until, roll-out gates) over the run so far. */
  conditions: LiveConditions;
  /** The action being applied (or healed): its typed evidence events carry it. */
  action: ActionRef;
}

export interface ConditionOutcome {
  met: boolean;
  /** Seconds spent waiting. */
  waitedS: number;
  /** What was seen, in words, for the evidence ("alert fallback-latency fired at 31 s"). */
  detail: string;
}

export interface LiveConditions {
  /** Resolves as soon as the condition holds, or after `timeoutS` with `met: false`. */
  waitFor(condition: Condition, timeoutS: number, signal?: AbortSignal): Promise<ConditionOutcome>;
}

/** What shows the action took effect, read back from the system — not merely that it was called. */
export type Evidence = Record<string, unknown>;

/**
 * What an action's `target` names:
 * - `edge`: the literal `edge`;
 * - `deployment`: a deployment name;
 * - `pods`: `name/3` (one pod, 0-based) or `name` (every pod of the deployment);
 * - `link`: a Toxiproxy link name;
 * - `any`: free text, not cross-checked (wait.until).
 */
export type TargetKind = 'edge' | 'deployment' | 'pods' | 'link' | 'any';

/** A condition inside an action's params, at `path` below `params` (cross-checked, watched live). */
export interface ConditionRef {
  path: string;
  condition: Condition;
}

/** A deployment named inside an action's params, at `path` below `params` (cross-checked). */
export interface DeploymentRef {
  path: string;
  deployment: string;
}

/** How an action undoes itself (Jepsen's nemesis carries its own healing step). */
export interface Heal<P> {
  /** What the heal does, in words ("unpause new/0"). */
  describe(target: string, params: P): string;
  /** Seconds after the action applied when it heals by itself; undefined: only at teardown. */
  afterS(params: P): number | undefined;
  /** Runs once, on its timer or at teardown, whichever comes first; returns what it read back. */
  run(ctx: FaultContext, target: string, params: P): Promise<Evidence>;
}

/**
 * One timeline action, whole, in one file (Toxiproxy's toxic shape): its params schema, what its
 * target names, the conditions it waits on and the deployments its params name (both cross-checked
 * at load time), how it is applied and healed. Every part is required, so tsc names a missing one;
 * an action with nothing to heal says `heal: null`.
 */
export interface ActionDefinition<T extends string = string, S extends z.ZodType = z.ZodType, E extends Evidence = Evidence> {
  type: T;
  target: TargetKind;
  /** What it does, in one line (for people reading the registry). */
  summary: string;
  params: S;
  waitsOn(params: z.output<S>): ConditionRef[];
  names(params: z.output<S>): DeploymentRef[];
  /** Applies the action and returns its evidence; a FaultError carries the evidence of a failed one. */
  apply(ctx: FaultContext, target: string, params: z.output<S>): Promise<E>;
  heal: Heal<z.output<S>> | null;
}

/** Identity, for inference: the action's params type comes from its own schema. */
export function defineAction<const T extends string, S extends z.ZodType, E extends Evidence>(def: ActionDefinition<T, S, E>): ActionDefinition<T, S, E> {
  return def;
}

/** For actions whose params hold no condition or deployment name. */
export const none = (): never[] => [];

export class FaultError extends Error {
  readonly code = 'FAULT_FAILED';
  constructor(
    message: string,
    readonly evidence?: Evidence,
  ) {
    super(message);
  }
}
