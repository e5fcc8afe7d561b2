import type { ActionType } from '../scenario/actions.ts';
import { deployRollback } from './deploy-rollback.ts';
import { deployRollout } from './deploy-rollout.ts';
import { deployUnlock } from './deploy-unlock.ts';
import { deploymentScale } from './deployment-scale.ts';
import type { Fault } from './fault.ts';
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
 * Runtime implementations keyed by action type. A scenario using a type missing here is refused
 * before anything starts (see `unimplementedActions`), never skipped at run time.
 */
export const faults: Partial<{ [T in ActionType]: Fault<T> }> = {
  'weights.shift': weightsShift,
  'pod.kill': podKill,
  'pod.restart': podRestart,
  'pod.pause': podPause,
  'toxic.add': toxicAdd,
  'toxic.remove': toxicRemove,
  'proxy.disable': proxyDisable,
  'proxy.enable': proxyEnable,
  'wait.until': waitUntil,
  'deploy.rollout': deployRollout,
  'deploy.rollback': deployRollback,
  'deploy.unlock': deployUnlock,
  'pod.env': podEnv,
  'deployment.scale': deploymentScale,
  'pod.oom': podOom,
};

export function unimplementedActions(types: Iterable<ActionType>): ActionType[] {
  return [...new Set(types)].filter((t) => !faults[t]);
}
