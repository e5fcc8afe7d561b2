import { ownerId } from './owner.ts';

/** Every container the harness starts carries these, so `harness down` can find them all. */
export const LABEL_MANAGED = 'io.incident-harness.managed';
export const LABEL_RUN_ID = 'io.incident-harness.run-id';
export const LABEL_SESSION = 'io.incident-harness.session';
export const LABEL_COMPONENT = 'io.incident-harness.component';
/** The harness process that started the container (`<pid>-<start time>`): crash recovery removes by it. */
export const LABEL_OWNER = 'io.incident-harness.owner';

export function harnessLabels(runId: string, component: string): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_MANAGED]: 'true',
    [LABEL_RUN_ID]: runId,
    [LABEL_COMPONENT]: component,
    [LABEL_OWNER]: ownerId(),
  };
  // A test session (npm test) tags everything it starts so its wrapper can clean up after Ctrl-C.
  const session = process.env.HARNESS_SESSION_ID;
  if (session) labels[LABEL_SESSION] = session;
  return labels;
}
