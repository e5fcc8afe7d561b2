import { killAllK6 } from '../load/k6-runner.ts';
import { removeContainers } from '../platform/cleanup.ts';
import { LABEL_RUN_ID } from '../platform/labels.ts';

type Step = { name: string; fn: () => Promise<unknown> | unknown };

/**
 * Heal-and-clean steps of a run, run in reverse order exactly once, whatever ended the run:
 * success, failure, Ctrl-C, SIGTERM or a crash. Like Chaos Toolkit's rollbacks, a failing step
 * does not stop the ones after it. The last step always removes every container labelled with
 * the run id, so even a container the run lost track of does not outlive it.
 */
export class Teardown {
  private readonly steps: Step[] = [];
  private running: Promise<string[]> | undefined;

  constructor(readonly runId: string) {}

  add(name: string, fn: Step['fn']): void {
    this.steps.push({ name, fn });
  }

  /** Returns the errors of the steps that failed (already reported as one line each). */
  run(): Promise<string[]> {
    this.running ??= (async () => {
      const errors: string[] = [];
      const steps = [
        ...this.steps.reverse(),
        { name: 'kill k6', fn: () => killAllK6() },
        { name: 'remove labelled containers', fn: () => removeContainers({ [LABEL_RUN_ID]: this.runId }) },
      ];
      for (const step of steps) {
        try {
          await step.fn();
        } catch (err) {
          errors.push(`${step.name}: ${(err as Error).message}`);
        }
      }
      return errors;
    })();
    return this.running;
  }
}

/**
 * Runs the teardown on SIGINT/SIGTERM and on a crash, then exits with the conventional code.
 * A second Ctrl-C while cleaning up is ignored with a message: leaving containers behind is
 * what this exists to prevent. Returns a function that removes the handlers.
 */
export function teardownOnExit(teardown: Teardown, log: (line: string) => void = (l) => console.error(l)): () => void {
  let exiting = false;
  const finish = async (code: number, why: string) => {
    if (exiting) {
      log(`harness: still cleaning up after ${why}; please wait`);
      return;
    }
    exiting = true;
    log(`harness: ${why}: removing the run's containers and k6 processes…`);
    const errors = await teardown.run();
    for (const e of errors) log(`harness: cleanup: ${e}`);
    process.exit(code);
  };
  const onInt = () => void finish(130, 'interrupted (SIGINT)');
  const onTerm = () => void finish(143, 'terminated (SIGTERM)');
  const onCrash = (err: unknown) => {
    log(`harness: crashed: ${(err as Error)?.stack ?? String(err)}`);
    void finish(70, 'crash');
  };
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  };
}
