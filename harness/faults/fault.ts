import type { History } from '../history/history.ts';
import type { Teardown } from '../platform/teardown.ts';
import type { ActionParams, ActionType } from '../scenario/actions.ts';
import type { Condition } from '../scenario/conditions.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { StartedTopology } from '../topology/topology.ts';

export interface FaultContext {
  scenario: ResolvedScenario;
  topology: StartedTopology;
  history: History;
  /** Healing steps an action leaves behind (unpause, re-enable a link) go here. */
  teardown: Teardown;
  signal: AbortSignal;
  /** Live evaluation of scenario conditions (wait.until, roll-out gates) over the run so far. */
  conditions: LiveConditions;
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

/** One timeline action's implementation (Toxiproxy's toxic shape: one small file per type). */
export interface Fault<T extends ActionType> {
  type: T;
  apply(ctx: FaultContext, target: string, params: ActionParams<T>): Promise<Evidence>;
}

export class FaultError extends Error {
  readonly code = 'FAULT_FAILED';
  constructor(
    message: string,
    readonly evidence?: Evidence,
  ) {
    super(message);
  }
}
