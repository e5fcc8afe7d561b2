import type { History } from '../history/history.ts';
import type { Teardown } from '../run/teardown.ts';
import type { ActionParams, ActionType } from '../scenario/actions.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { StartedTopology } from '../topology/topology.ts';

export interface FaultContext {
  scenario: ResolvedScenario;
  topology: StartedTopology;
  history: History;
  /** Healing steps an action leaves behind (unpause, re-enable a link) go here. */
  teardown: Teardown;
  signal: AbortSignal;
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
