/**
 * Shared state in Redis, so several pods act as one service.
 *   {p}:fanout                pub/sub channel carrying every published event
 *   {p}:ch:<channel>          set of socket ids subscribed (all pods)
 *   {p}:channels              set of occupied channel names
 *   {p}:pres:<channel>:sock   hash socket id -> user id
 *   {p}:pres:<channel>:info   hash user id -> user_info JSON
 *   {p}:pres:<channel>:cnt    hash user id -> sockets of that user
 *   {p}:pod:<pod>             set of "s|p <channel> <socket>" entries this pod added, so a restarted
 *                             pod of the same name removes what it left behind when it was killed
 * Occupancy and presence transitions are decided atomically by Lua scripts, so exactly one pod sees
 * "occupied"/"vacated"/"member added"/"member removed" and writes the webhook event.
 */
import { Redis } from 'ioredis';
import type { PresenceMember } from '../protocol/messages.ts';
import type { ChannelSummary, FanoutMessage, SharedState } from './shared-state.ts';

const SUBSCRIBE_LUA = `
local added = redis.call('SADD', KEYS[1], ARGV[1])
local n = redis.call('SCARD', KEYS[1])
if added == 1 and n == 1 then redis.call('SADD', KEYS[2], ARGV[2]) end
redis.call('SADD', KEYS[3], 's ' .. ARGV[2] .. ' ' .. ARGV[1])
if added == 1 and n == 1 then return 1 end
return 0`;

const UNSUBSCRIBE_LUA = `
local removed = redis.call('SREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[3], 's ' .. ARGV[2] .. ' ' .. ARGV[1])
if removed == 0 then return 0 end
if redis.call('SCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) return 1 end
return 0`;

const ADD_MEMBER_LUA = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('SADD', KEYS[4], 'p ' .. ARGV[4] .. ' ' .. ARGV[1])
local c = redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
if c == 1 then redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) return 1 end
return 0`;

const REMOVE_MEMBER_LUA = `
redis.call('SREM', KEYS[4], 'p ' .. ARGV[2] .. ' ' .. ARGV[1])
local u = redis.call('HGET', KEYS[1], ARGV[1])
if not u then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
local c = redis.call('HINCRBY', KEYS[3], u, -1)
if c <= 0 then
  redis.call('HDEL', KEYS[3], u)
  redis.call('HDEL', KEYS[2], u)
  return u
end
return false`;

type Scripted = Redis & {
  sutSubscribe(k1: string, k2: string, k3: string, socketId: string, channel: string): Promise<number>;
  sutUnsubscribe(k1: string, k2: string, k3: string, socketId: string, channel: string): Promise<number>;
  sutAddMember(k1: string, k2: string, k3: string, k4: string, socketId: string, userId: string, info: string, channel: string): Promise<number>;
  sutRemoveMember(k1: string, k2: string, k3: string, k4: string, socketId: string, channel: string): Promise<string | null>;
};

export function encodeFanout(m: FanoutMessage): string {
  return `${m.t}|${m.exclude ?? ''}|${m.channel}|${m.frame}`;
}

export function decodeFanout(s: string): FanoutMessage | undefined {
  const a = s.indexOf('|');
  const b = s.indexOf('|', a + 1);
  const c = s.indexOf('|', b + 1);
  if (a < 0 || b < 0 || c < 0) return undefined;
  const exclude = s.slice(a + 1, b);
  return { t: Number(s.slice(0, a)), exclude: exclude || undefined, channel: s.slice(b + 1, c), frame: s.slice(c + 1) };
}

export class RedisState implements SharedState {
  readonly kind = 'redis' as const;
  private readonly cmd: Scripted;
  private readonly sub: Redis;
  private readonly p: string;
  private readonly podKey: string;
  private ok = false;
  private started = false;
  private recovered: (() => void) | undefined;

  constructor(url: string, appId: string, podName: string) {
    const opts = { lazyConnect: true, maxRetriesPerRequest: 3, enableOfflineQueue: true };
    this.cmd = new Redis(url, opts) as Scripted;
    this.sub = new Redis(url, opts);
    this.p = `sut:${appId}`;
    this.podKey = `${this.p}:pod:${podName}`;
    this.cmd.defineCommand('sutSubscribe', { numberOfKeys: 3, lua: SUBSCRIBE_LUA });
    this.cmd.defineCommand('sutUnsubscribe', { numberOfKeys: 3, lua: UNSUBSCRIBE_LUA });
    this.cmd.defineCommand('sutAddMember', { numberOfKeys: 4, lua: ADD_MEMBER_LUA });
    this.cmd.defineCommand('sutRemoveMember', { numberOfKeys: 4, lua: REMOVE_MEMBER_LUA });
    for (const c of [this.cmd, this.sub]) {
      c.on('ready', () => {
        const wasOk = this.ok;
        this.ok = this.cmd.status === 'ready' && this.sub.status === 'ready';
        if (this.started && this.ok && !wasOk) this.recovered?.();
      });
      c.on('end', () => (this.ok = false));
      c.on('close', () => (this.ok = false));
      c.on('error', () => {}); // reconnects; health is reported by healthy()
    }
  }

  /** A second connection for blocking commands (webhook stream). */
  duplicate(): Redis {
    return this.cmd.duplicate();
  }

  get client(): Redis {
    return this.cmd;
  }

  async start(deliver: (m: FanoutMessage) => void): Promise<void> {
    await Promise.all([this.cmd.connect(), this.sub.connect()]);
    await this.removeLeftovers();
    this.sub.on('message', (_ch: string, payload: string) => {
      const m = decodeFanout(payload);
      if (m) deliver(m);
    });
    await this.sub.subscribe(`${this.p}:fanout`);
    this.ok = true;
    this.started = true;
  }

  onRecovered(cb: () => void): void {
    this.recovered = cb;
  }

  /** Entries a previous process with this pod name left behind (it was killed, e.g. OOM). */
  private async removeLeftovers(): Promise<void> {
    const entries = await this.cmd.smembers(this.podKey);
    for (const e of entries) {
      const [kind, channel, socketId] = e.split(' ');
      if (!channel || !socketId) continue;
      if (kind === 's') await this.unsubscribe(channel, socketId);
      else await this.removeMember(channel, socketId);
    }
    await this.cmd.del(this.podKey);
  }

  async publish(m: FanoutMessage): Promise<void> {
    await this.cmd.publish(`${this.p}:fanout`, encodeFanout(m));
  }

  async subscribe(channel: string, socketId: string): Promise<{ occupied: boolean }> {
    const r = await this.cmd.sutSubscribe(`${this.p}:ch:${channel}`, `${this.p}:channels`, this.podKey, socketId, channel);
    return { occupied: r === 1 };
  }

  async unsubscribe(channel: string, socketId: string): Promise<{ vacated: boolean }> {
    const r = await this.cmd.sutUnsubscribe(`${this.p}:ch:${channel}`, `${this.p}:channels`, this.podKey, socketId, channel);
    return { vacated: r === 1 };
  }

  private presKeys(channel: string): [string, string, string] {
    const k = `${this.p}:pres:${channel}`;
    return [`${k}:sock`, `${k}:info`, `${k}:cnt`];
  }

  async addMember(channel: string, socketId: string, member: PresenceMember): Promise<{ added: boolean }> {
    const [a, b, c] = this.presKeys(channel);
    const r = await this.cmd.sutAddMember(a, b, c, this.podKey, socketId, member.userId, JSON.stringify(member.userInfo ?? null), channel);
    return { added: r === 1 };
  }

  async removeMember(channel: string, socketId: string): Promise<{ removedUserId: string | undefined }> {
    const [a, b, c] = this.presKeys(channel);
    const r = await this.cmd.sutRemoveMember(a, b, c, this.podKey, socketId, channel);
    return { removedUserId: r ?? undefined };
  }

  async members(channel: string): Promise<PresenceMember[]> {
    const [, info] = this.presKeys(channel);
    const all = await this.cmd.hgetall(info);
    return Object.entries(all).map(([userId, json]) => ({ userId, userInfo: JSON.parse(json) as unknown }));
  }

  async subscriptionCount(channel: string): Promise<number> {
    return this.cmd.scard(`${this.p}:ch:${channel}`);
  }

  async listChannels(prefix: string): Promise<ChannelSummary[]> {
    const names = (await this.cmd.smembers(`${this.p}:channels`)).filter((n) => n.startsWith(prefix)).sort();
    const out: ChannelSummary[] = [];
    for (const name of names) {
      const subscriptionCount = await this.subscriptionCount(name);
      if (subscriptionCount === 0) continue;
      const s: ChannelSummary = { name, subscriptionCount };
      if (name.startsWith('presence-')) s.userCount = await this.cmd.hlen(this.presKeys(name)[1]);
      out.push(s);
    }
    return out;
  }

  healthy(): boolean {
    return this.ok;
  }

  async stop(): Promise<void> {
    this.ok = false;
    await Promise.allSettled([this.sub.quit(), this.cmd.quit()]);
  }
}
