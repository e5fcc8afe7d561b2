/**
 * WebSocket first; after `fallbackAfter` consecutive failed connects on a transport, the next one
 * down: xhr_streaming, then xhr_polling. A client stays on the transport it fell back to (pusher-js
 * in a browser caches the transport that worked); a successful connect resets the count.
 */
import type { ClientTransport } from '../pusher-client/index.ts';

export const LADDER: readonly ClientTransport[] = ['ws', 'xhr_streaming', 'xhr_polling'];

export class TransportLadder {
  private step = 0;
  private failures = 0;

  constructor(private readonly fallbackAfter: number) {}

  get current(): ClientTransport {
    return LADDER[this.step] ?? 'xhr_polling';
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** A connect attempt on `current` failed; returns true when the client moved down a step. */
  failed(): boolean {
    this.failures++;
    if (this.failures >= this.fallbackAfter && this.step < LADDER.length - 1) {
      this.step++;
      this.failures = 0;
      return true;
    }
    return false;
  }

  succeeded(): void {
    this.failures = 0;
  }
}
