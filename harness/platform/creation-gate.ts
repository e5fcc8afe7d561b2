/** Why starting stopped: the signal that interrupted the command. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

export class InterruptedError extends Error {
  readonly code = 'INTERRUPTED';
  constructor(
    readonly signal: StopSignal,
    what?: string,
  ) {
    super(`interrupted (${signal})${what ? `: ${what}` : ''}`);
  }
}

/**
 * The one door every container and host process the harness starts goes through. Once closed (an
 * interrupt), nothing new starts, and the clean-up can wait until every creation already under way
 * has settled, so it never races a container that appears after it looked.
 */
export class CreationGate {
  private closedBy: StopSignal | undefined;
  private readonly abort = new AbortController();
  private readonly inFlight = new Map<number, string>();
  private nextId = 0;
  private passes = 0;
  private waiters: (() => void)[] = [];

  /** Aborted when the gate closes: long waits (timeline, sleeps, test pauses) listen to it. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get closedSignal(): StopSignal | undefined {
    return this.closedBy;
  }

  /** Throws InterruptedError once the gate is closed; for starts that are synchronous (spawn). */
  admit(what: string): void {
    if (this.closedBy) throw new InterruptedError(this.closedBy, `not starting ${what}`);
    this.passes++;
  }

  /** Runs `start` as an in-flight creation; refused once the gate is closed. */
  async pass<T>(what: string, start: (passNumber: number) => Promise<T>): Promise<T> {
    this.admit(what);
    const id = this.nextId++;
    this.inFlight.set(id, what);
    try {
      return await start(this.passes);
    } finally {
      this.inFlight.delete(id);
      if (this.inFlight.size === 0) for (const w of this.waiters.splice(0)) w();
    }
  }

  close(signal: StopSignal): void {
    if (this.closedBy) return;
    this.closedBy = signal;
    this.abort.abort(new InterruptedError(signal));
  }

  /** What is being created right now (for the second Ctrl-C's message). */
  pending(): string[] {
    return [...this.inFlight.values()];
  }

  /** Resolves when no creation is in flight. */
  settled(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** Process-wide: a command has one set of things it started, and one interrupt. */
export const creationGate = new CreationGate();
