// The deploy tooling's safety check (2019-12): a deploy takes a lock on a pod when it starts replacing
// it and releases it once the pod is up and ready. A pod that never came up keeps its lock, so a later
// deploy that honours locks believes another deploy is still running there and leaves the pod alone.

export interface DeployLock {
  pod: string;
  /** Which deploy took it, e.g. "deploy.rollout#3 v2 / config 2". */
  heldBy: string;
  /** Replay milliseconds when it was taken. */
  sinceMs: number;
}

export class DeployLocks {
  private readonly locks = new Map<string, DeployLock>();

  take(pod: string, heldBy: string, nowMs: number): DeployLock {
    const lock = { pod, heldBy, sinceMs: nowMs };
    this.locks.set(pod, lock);
    return lock;
  }

  release(pod: string): void {
    this.locks.delete(pod);
  }

  holder(pod: string): DeployLock | undefined {
    return this.locks.get(pod);
  }

  all(): DeployLock[] {
    return [...this.locks.values()];
  }

  /** Locks on these pods, in the given order. */
  on(pods: readonly string[]): DeployLock[] {
    return pods.flatMap((p) => (this.locks.has(p) ? [this.locks.get(p)!] : []));
  }

  /** Clears the locks on these pods (the manual bypass); returns what was cleared. */
  clear(pods: readonly string[]): DeployLock[] {
    const cleared = this.on(pods);
    for (const l of cleared) this.locks.delete(l.pod);
    return cleared;
  }
}
