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
import { StateUnavailableError, type ChannelSummary, type FanoutMessage, type SharedState } from './shared-state.ts';

/** Deadlines on the Redis link (issue 13): no command waits forever, a silent link is noticed. */
export interface RedisDeadlines {
  /** Every command (including ones queued while disconnected) fails after this. */
  commandTimeoutMs: number;
  /** How often each connection is pinged. */
  pingIntervalMs: number;
  /** A connection with no pong (and, for the subscriber, no message) for this long is partitioned. */
  partitionTimeoutMs: number;
}

export const DEFAULT_REDIS_DEADLINES: RedisDeadlines = { commandTimeoutMs: 2000, pingIntervalMs: 1000, partitionTimeoutMs: 5000 };

/** Fan-out messages on this prefix are readiness probes: never a client channel ('#' is invalid). */
const PROBE_PREFIX = '#probe:';

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
  private partitioned = false;
  private readonly lastSeen = new Map<Redis, number>();
  private watchdog: NodeJS.Timeout | undefined;
  private readonly probes = new Map<string, () => void>();
  private probeSeq = 0;
  private readonly podName: string;

  constructor(
    url: string,
    appId: string,
    podName: string,
    private readonly deadlines: RedisDeadlines = DEFAULT_REDIS_DEADLINES,
  ) {
    this.podName = podName;
    const opts = { lazyConnect: true, maxRetriesPerRequest: 3, enableOfflineQueue: true, commandTimeout: deadlines.commandTimeoutMs, connectTimeout: deadlines.partitionTimeoutMs };
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

  /** A second connection for blocking commands (webhook stream): its deadline allows for the block. */
  duplicate(blockMs = 5000): Redis {
    return this.cmd.duplicate({ commandTimeout: this.deadlines.commandTimeoutMs + blockMs });
  }

  get client(): Redis {
    return this.cmd;
  }

  async start(deliver: (m: FanoutMessage) => void): Promise<void> {
    await Promise.all([this.cmd.connect(), this.sub.connect()]);
    await this.removeLeftovers();
    this.sub.on('message', (_ch: string, payload: string) => {
      this.lastSeen.set(this.sub, Date.now());
      const m = decodeFanout(payload);
      if (!m) return;
      if (m.channel.startsWith(PROBE_PREFIX)) return this.probes.get(m.channel)?.();
      deliver(m);
    });
    await this.sub.subscribe(`${this.p}:fanout`);
    this.ok = true;
    this.started = true;
    this.startWatchdog();
  }

  /**
   * A partitioned link (packets dropped, the TCP connection still open) never closes by itself:
   * ping each connection, and one silent for partitionTimeoutMs is marked down and reconnected.
   */
  private startWatchdog(): void {
    const { pingIntervalMs, partitionTimeoutMs } = this.deadlines;
    const now = Date.now();
    for (const c of [this.cmd, this.sub]) this.lastSeen.set(c, now);
    this.watchdog = setInterval(() => {
      const t = Date.now();
      let silent = false;
      for (const c of [this.cmd, this.sub]) {
        if (c.status === 'ready') c.ping().then(() => this.lastSeen.set(c, Date.now()), () => {});
        if (t - (this.lastSeen.get(c) ?? t) > partitionTimeoutMs) silent = true;
      }
      if (silent && !this.partitioned) {
        this.partitioned = true;
        // Reconnect: a fresh connection either works (ready, recovered) or fails visibly.
        for (const c of [this.cmd, this.sub]) if (t - (this.lastSeen.get(c) ?? t) > partitionTimeoutMs) c.disconnect(true);
      } else if (!silent && this.partitioned) {
        this.partitioned = false;
        if (this.ok) this.recovered?.();
      }
    }, pingIntervalMs);
    this.watchdog.unref();
  }

  async roundTrip(deadlineMs: number): Promise<boolean> {
    if (!this.healthy()) return false;
    const channel = `${PROBE_PREFIX}${this.podName}:${++this.probeSeq}`;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<boolean>((resolve) => {
        this.probes.set(channel, () => resolve(true));
        timer = setTimeout(() => resolve(false), deadlineMs);
        this.cmd.publish(`${this.p}:fanout`, encodeFanout({ channel, frame: '', t: Date.now() })).catch(() => resolve(false));
      });
    } finally {
      clearTimeout(timer);
      this.probes.delete(channel);
    }
  }

  /** Command failures (timeout, closed link) become StateUnavailableError: REST answers 503. */
  private async guard<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (err) {
      throw new StateUnavailableError(err);
    }
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
    await this.guard(this.cmd.publish(`${this.p}:fanout`, encodeFanout(m)));
  }

  async subscribe(channel: string, socketId: string): Promise<{ occupied: boolean }> {
    const r = await this.guard(this.cmd.sutSubscribe(`${this.p}:ch:${channel}`, `${this.p}:channels`, this.podKey, socketId, channel));
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
    const all = await this.guard(this.cmd.hgetall(info));
    return Object.entries(all).map(([userId, json]) => ({ userId, userInfo: JSON.parse(json) as unknown }));
  }

  async subscriptionCount(channel: string): Promise<number> {
    return this.guard(this.cmd.scard(`${this.p}:ch:${channel}`));
  }

  async listChannels(prefix: string): Promise<ChannelSummary[]> {
    const names = (await this.guard(this.cmd.smembers(`${this.p}:channels`))).filter((n) => n.startsWith(prefix)).sort();
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
    return this.ok && !this.partitioned;
  }

  async stop(): Promise<void> {
    this.ok = false;
    if (this.watchdog) clearInterval(this.watchdog);
    await Promise.allSettled([this.sub.quit(), this.cmd.quit()]);
  }
}
