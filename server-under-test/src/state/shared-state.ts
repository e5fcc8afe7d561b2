/**
 * What pods share: channel occupancy, presence membership and message fan-out.
 * MemoryState serves a standalone pod; RedisState lets several pods act as one service.
 */
import type { PresenceMember } from '../protocol/messages.ts';

/** One published event, serialized once by the publishing pod. */
export interface FanoutMessage {
  channel: string;
  /** The complete Pusher frame to send to subscribers. */
  frame: string;
  /** socket_id that must not receive it (sender of a client event, or REST socket_id). */
  exclude?: string | undefined;
  /** Publish time, ms since epoch (publish-to-send latency). */
  t: number;
}

export interface ChannelSummary {
  name: string;
  subscriptionCount: number;
  userCount?: number;
}

export interface SharedState {
  readonly kind: 'memory' | 'redis';
  /** Start receiving fan-out; `deliver` is called for every message published on any pod. */
  start(deliver: (m: FanoutMessage) => void): Promise<void>;
  publish(m: FanoutMessage): Promise<void>;
  /** Adds a subscriber; `occupied` is true when this made the channel go from 0 to 1 subscriber. */
  subscribe(channel: string, socketId: string): Promise<{ occupied: boolean }>;
  /** Removes a subscriber; `vacated` is true when this left the channel empty. */
  unsubscribe(channel: string, socketId: string): Promise<{ vacated: boolean }>;
  /** Adds a presence member; `added` is true for the user's first socket in the channel. */
  addMember(channel: string, socketId: string, member: PresenceMember): Promise<{ added: boolean }>;
  /** Removes a presence socket; returns the user id when that user has no socket left in the channel. */
  removeMember(channel: string, socketId: string): Promise<{ removedUserId: string | undefined }>;
  members(channel: string): Promise<PresenceMember[]>;
  subscriptionCount(channel: string): Promise<number>;
  listChannels(prefix: string): Promise<ChannelSummary[]>;
  /** Liveness of the shared store (readyz): connections open and the link not partitioned. */
  healthy(): boolean;
  /**
   * Deep readiness: a message published by this pod came back on its own fan-out subscription
   * within `deadlineMs` (so this pod can fan out right now). Never rejects.
   */
  roundTrip(deadlineMs: number): Promise<boolean>;
  /**
   * Called after the store came back from an outage (it may have lost everything, e.g. a
   * restarted redis-server without persistence): pods re-register what they hold.
   */
  onRecovered(cb: () => void): void;
  stop(): Promise<void>;
}

/** The shared store did not answer in time or is unreachable: REST answers 503, not 500. */
export class StateUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`shared state unavailable: ${(cause as Error)?.message ?? String(cause)}`);
  }
}
