import { setTimeout as delay } from 'node:timers/promises';
import { removeContainers } from './cleanup.ts';
import { creationGate } from './creation-gate.ts';
import { killHostProcesses } from './host-processes.ts';
import { trackTeardown } from './interrupts.ts';
import { LABEL_RUN_ID } from './labels.ts';

type Step = { name: string; fn: () => Promise<unknown> | unknown };

/**
 * Heal-and-clean steps of a run, run in reverse order exactly once, whatever ended the run:
 * success, failure, Ctrl-C, SIGTERM or a crash. Like Chaos Toolkit's rollbacks, a failing step
 * does not stop the ones after it. The last step removes every container labelled with the run id,
 * again and again until no container creation is in flight, so even a container the run lost
 * track of, or one still being created when the run ended, does not outlive it.
 */
export class Teardown {
  private readonly steps: Step[] = [];
  private running: Promise<string[]> | undefined;
  private step: string | undefined;

  constructor(readonly runId: string) {}

  /** A step added while the teardown runs still runs (e.g. a creation that settled meanwhile). */
  add(name: string, fn: Step['fn']): void {
    this.steps.push({ name, fn });
  }

  /** The step running now, for "what is still being removed". */
  get currentStep(): string | undefined {
    return this.step;
  }

  /** Returns the errors of the steps that failed (already reported as one line each). */
  run(): Promise<string[]> {
    this.running ??= (async () => {
      const errors: string[] = [];
      const attempt = async (step: Step) => {
        this.step = step.name;
        try {
          await step.fn();
        } catch (err) {
          errors.push(`${step.name}: ${(err as Error).message}`);
        }
      };
      for (let step = this.steps.pop(); step; step = this.steps.pop()) await attempt(step);
      await attempt({ name: 'kill k6', fn: () => killHostProcesses() });
      await attempt({ name: 'remove labelled containers', fn: () => this.sweepContainers() });
      for (let step = this.steps.pop(); step; step = this.steps.pop()) await attempt(step);
      this.step = undefined;
      return errors;
    })();
    return this.running;
  }

  private async sweepContainers(): Promise<void> {
    const labels = { [LABEL_RUN_ID]: this.runId };
    for (;;) {
      await removeContainers(labels);
      if (creationGate.pending().length === 0) break;
      this.step = `remove labelled containers (waiting for ${creationGate.pending().length} creation(s) in flight)`;
      await Promise.race([creationGate.settled(), delay(250)]);
    }
    // One more look after the last creation settled: it may have made a container just before.
    await removeContainers(labels);
  }
}

/**
 * Runs the teardown on SIGINT/SIGTERM and on a crash (see interrupts.ts), then exits with the
 * conventional code. Returns a function that stops tracking it.
 */
export function teardownOnExit(teardown: Teardown): () => void {
  return trackTeardown(teardown);
}
