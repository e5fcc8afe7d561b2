import type { PresenceMember } from '../protocol/messages.ts';
import type { ChannelSummary, FanoutMessage, SharedState } from './shared-state.ts';

interface PresenceEntry {
  sockets: Map<string, string>; // socketId -> userId
  users: Map<string, { info: unknown; count: number }>;
}

/** In-process state for a standalone pod. */
export class MemoryState implements SharedState {
  readonly kind = 'memory' as const;
  private deliver: ((m: FanoutMessage) => void) | undefined;
  private readonly subs = new Map<string, Set<string>>();
  private readonly presence = new Map<string, PresenceEntry>();

  async start(deliver: (m: FanoutMessage) => void): Promise<void> {
    this.deliver = deliver;
  }

  async roundTrip(): Promise<boolean> {
    return true;
  }

  async publish(m: FanoutMessage): Promise<void> {
    this.deliver?.(m);
  }

  async subscribe(channel: string, socketId: string): Promise<{ occupied: boolean }> {
    let set = this.subs.get(channel);
    if (!set) this.subs.set(channel, (set = new Set()));
    const before = set.size;
    set.add(socketId);
    return { occupied: before === 0 && set.size === 1 };
  }

  async unsubscribe(channel: string, socketId: string): Promise<{ vacated: boolean }> {
    const set = this.subs.get(channel);
    if (!set || !set.delete(socketId)) return { vacated: false };
    if (set.size > 0) return { vacated: false };
    this.subs.delete(channel);
    return { vacated: true };
  }

  async addMember(channel: string, socketId: string, member: PresenceMember): Promise<{ added: boolean }> {
    let p = this.presence.get(channel);
    if (!p) this.presence.set(channel, (p = { sockets: new Map(), users: new Map() }));
    if (p.sockets.has(socketId)) return { added: false };
    p.sockets.set(socketId, member.userId);
    const u = p.users.get(member.userId);
    if (u) {
      u.count++;
      return { added: false };
    }
    p.users.set(member.userId, { info: member.userInfo, count: 1 });
    return { added: true };
  }

  async removeMember(channel: string, socketId: string): Promise<{ removedUserId: string | undefined }> {
    const p = this.presence.get(channel);
    const userId = p?.sockets.get(socketId);
    if (!p || userId === undefined) return { removedUserId: undefined };
    p.sockets.delete(socketId);
    const u = p.users.get(userId);
    if (u && --u.count > 0) return { removedUserId: undefined };
    p.users.delete(userId);
    if (p.sockets.size === 0) this.presence.delete(channel);
    return { removedUserId: userId };
  }

  async members(channel: string): Promise<PresenceMember[]> {
    const p = this.presence.get(channel);
    return p ? [...p.users].map(([userId, u]) => ({ userId, userInfo: u.info })) : [];
  }

  async subscriptionCount(channel: string): Promise<number> {
    return this.subs.get(channel)?.size ?? 0;
  }

  async listChannels(prefix: string): Promise<ChannelSummary[]> {
    const out: ChannelSummary[] = [];
    for (const [name, set] of this.subs) {
      if (!name.startsWith(prefix) || set.size === 0) continue;
      const p = this.presence.get(name);
      out.push({ name, subscriptionCount: set.size, ...(p ? { userCount: p.users.size } : {}) });
    }
    return out;
  }

  healthy(): boolean {
    return true;
  }

  onRecovered(): void {
    // memory never goes away
  }

  async stop(): Promise<void> {
    this.deliver = undefined;
  }
}
