/**
 * The protocol core, independent of transport: connection lifecycle, subscriptions, presence,
 * client events, and delivery of fan-out messages to this pod's local subscribers.
 */
import { verifyChannelAuth } from '../auth/signing.ts';
import type { ServerConfig } from '../config/env.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import {
  channelKind,
  CloseCode,
  connectionEstablished,
  dataObject,
  errorFrame,
  frame,
  isValidChannelName,
  MAX_EVENT_DATA_BYTES,
  MAX_EVENT_NAME,
  MAX_USER_ID,
  newSocketId,
  parseClientMessage,
  presenceData,
  TRANSPORTS,
  type ClientMessage,
  type Transport,
} from '../protocol/messages.ts';
import { SharedFrame } from '../protocol/shared-frame.ts';
import type { FanoutMessage, SharedState } from '../state/shared-state.ts';
import type { WebhookWriter } from '../webhooks/webhook-writer.ts';
import { LocalConnection, type ClientConnection } from './connection.ts';

export interface PublishRequest {
  channels: string[];
  event: string;
  /** Event data exactly as given (a string for REST). */
  data: string;
  excludeSocketId?: string | undefined;
  userId?: string | undefined;
}

export class Hub {
  private readonly connections = new Map<string, LocalConnection>();
  private readonly local = new Map<string, Set<LocalConnection>>();
  private readonly counts: Record<Transport, number> = { ws: 0, xhr_streaming: 0, xhr_polling: 0 };
  private readonly out;
  private readonly lat;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly config: ServerConfig,
    private readonly state: SharedState,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.out = Object.fromEntries(TRANSPORTS.map((t) => [t, metrics.messagesOut.labels(t)])) as unknown as Record<Transport, { inc(n?: number): void }>;
    this.lat = Object.fromEntries(TRANSPORTS.map((t) => [t, metrics.publishToSend.labels(t)])) as unknown as Record<Transport, { observe(v: number): void }>;
  }

  /**
   * Re-register every local subscription and presence member in the shared state, e.g. after a
   * Redis restart lost them. Idempotent; writes no webhooks (nothing changed for the clients).
   */
  async resync(): Promise<number> {
    let n = 0;
    for (const c of [...this.connections.values()]) {
      for (const [channel, sub] of [...c.channels]) {
        if (c.closed) break;
        await this.state.subscribe(channel, c.socketId);
        if (sub.userId !== undefined) await this.state.addMember(channel, c.socketId, { userId: sub.userId, userInfo: sub.userInfo });
        n++;
      }
    }
    return n;
  }

  start(): void {
    const timeoutMs = this.config.file.activityTimeout * 1000;
    this.sweeper = setInterval(() => this.sweep(timeoutMs), Math.min(15_000, timeoutMs));
    this.sweeper.unref();
  }

  /** Clients silent for twice the activity timeout never answered our expectations of a ping. */
  private sweep(timeoutMs: number): void {
    const now = Date.now();
    for (const c of this.connections.values()) {
      if (now - c.lastActivity > 2 * timeoutMs) c.conn.close(CloseCode.PongNotReceived, 'Pong reply not received');
    }
  }

  count(transport?: Transport): number {
    return transport ? this.counts[transport] : this.connections.size;
  }

  /** A transport has a new client: send connection_established. */
  open(conn: ClientConnection, webhooks: WebhookWriter): LocalConnection {
    const c = new LocalConnection(
      newSocketId(),
      conn,
      webhooks,
      this.config.switches.retainedBytesPerConnection,
      this.config.file.clientEventRateLimit,
      Date.now(),
    );
    this.connections.set(c.socketId, c);
    this.counts[c.transport]++;
    this.metrics.connections.labels(c.transport).inc();
    if (c.retained) this.metrics.retainedBytes.inc(c.retained.length);
    this.send(c, connectionEstablished(c.socketId, this.config.file.activityTimeout));
    return c;
  }

  private send(c: LocalConnection, f: string): void {
    if (c.closed) return;
    c.conn.send(f);
    this.out[c.transport].inc();
  }

  /** The transport's client is gone. Leaves every channel (webhooks for the last one out). */
  closed(c: LocalConnection): void {
    if (c.closed) return;
    c.closed = true;
    this.connections.delete(c.socketId);
    this.counts[c.transport]--;
    this.metrics.connections.labels(c.transport).dec();
    if (c.retained) {
      this.metrics.retainedBytes.dec(c.retained.length);
      c.retained = undefined;
    }
    for (const channel of [...c.channels.keys()]) this.track(this.leave(c, channel));
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Wait until every subscribe/leave in progress has reached the shared state (shutdown). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  message(c: LocalConnection, text: string): void {
    c.lastActivity = Date.now();
    this.metrics.messagesIn.labels(c.transport).inc();
    const msg = parseClientMessage(text);
    if (!msg) {
      this.send(c, errorFrame(null, 'Invalid message: expected a JSON object with an event'));
      return;
    }
    switch (msg.event) {
      case 'pusher:ping':
        this.send(c, frame('pusher:pong', {}));
        return;
      case 'pusher:pong':
        return;
      case 'pusher:subscribe':
        this.track(this.subscribe(c, msg).catch((err: Error) => this.log.warn('subscribe failed', { err: err.message })));
        return;
      case 'pusher:unsubscribe': {
        const channel = dataObject(msg.data).channel;
        if (typeof channel === 'string') this.track(this.leave(c, channel));
        return;
      }
      default:
        if (msg.event.startsWith('client-')) this.clientEvent(c, msg);
        else if (!msg.event.startsWith('pusher:')) this.send(c, errorFrame(null, `Unsupported event ${msg.event}`));
    }
  }

  private async subscribe(c: LocalConnection, msg: ClientMessage): Promise<void> {
    const data = dataObject(msg.data);
    const channel = data.channel;
    if (!isValidChannelName(channel)) {
      this.send(c, errorFrame(4009, `Invalid channel name ${JSON.stringify(channel)}`));
      return;
    }
    if (c.channels.has(channel)) return;
    const maxChannels = this.config.limits.maxChannelsPerConnection;
    if (c.channels.size >= maxChannels) {
      this.metrics.clientsDropped.labels('channel_limit').inc();
      this.send(c, errorFrame(null, `Subscription to ${channel} refused: at most ${maxChannels} channels per connection`));
      return;
    }
    const kind = channelKind(channel);
    const key = this.config.appKey;
    const secret = this.config.appSecret;
    let userId: string | undefined;
    let userInfo: unknown;
    if (kind === 'private' && !verifyChannelAuth(key, secret, c.socketId, channel, data.auth)) {
      this.send(c, errorFrame(4009, `Invalid signature for ${channel}: expected HMAC SHA256 of "socket_id:channel"`));
      return;
    }
    if (kind === 'presence') {
      const channelData = typeof data.channel_data === 'string' ? data.channel_data : undefined;
      if (channelData === undefined || !verifyChannelAuth(key, secret, c.socketId, channel, data.auth, channelData)) {
        this.send(c, errorFrame(4009, `Invalid signature for ${channel}: expected HMAC SHA256 of "socket_id:channel:channel_data"`));
        return;
      }
      const cd = dataObject(channelData);
      if (typeof cd.user_id !== 'string' && typeof cd.user_id !== 'number') {
        this.send(c, errorFrame(4009, `channel_data for ${channel} has no user_id`));
        return;
      }
      userId = String(cd.user_id);
      if (userId.length === 0 || userId.length > MAX_USER_ID) {
        this.send(c, errorFrame(4009, `user_id for ${channel} must be 1-${MAX_USER_ID} characters`));
        return;
      }
      userInfo = cd.user_info;
    }
    // Local first, so nothing published after subscription_succeeded can miss this client.
    c.channels.set(channel, userId === undefined ? {} : { userId, userInfo });
    let set = this.local.get(channel);
    if (!set) this.local.set(channel, (set = new Set()));
    set.add(c);

    const { occupied } = await this.state.subscribe(channel, c.socketId);
    if (occupied) c.webhooks.write({ name: 'channel_occupied', channel }, c.transport);
    if (kind !== 'presence' || userId === undefined) {
      this.send(c, frame('pusher_internal:subscription_succeeded', {}, channel));
      return;
    }
    const existing = await this.state.members(channel);
    if (existing.length >= this.config.file.maxPresenceMembers && !existing.some((m) => m.userId === userId)) {
      c.channels.delete(channel);
      set.delete(c);
      await this.state.unsubscribe(channel, c.socketId);
      this.send(c, errorFrame(4004, `Presence channel ${channel} is over its member limit`));
      return;
    }
    const { added } = await this.state.addMember(channel, c.socketId, { userId, userInfo });
    if (c.closed || !c.channels.has(channel)) {
      await this.state.removeMember(channel, c.socketId);
      return;
    }
    const members = await this.state.members(channel);
    this.send(c, frame('pusher_internal:subscription_succeeded', presenceData(members), channel));
    if (added) {
      await this.publishFrame(channel, frame('pusher_internal:member_added', { user_id: userId, user_info: userInfo }, channel), c.socketId);
      c.webhooks.write({ name: 'member_added', channel, user_id: userId }, c.transport);
    }
  }

  private async leave(c: LocalConnection, channel: string): Promise<void> {
    const sub = c.channels.get(channel);
    if (!sub) return;
    c.channels.delete(channel);
    const set = this.local.get(channel);
    if (set) {
      set.delete(c);
      if (set.size === 0) this.local.delete(channel);
    }
    try {
      if (sub.userId !== undefined) {
        const { removedUserId } = await this.state.removeMember(channel, c.socketId);
        if (removedUserId !== undefined) {
          await this.publishFrame(channel, frame('pusher_internal:member_removed', { user_id: removedUserId }, channel), c.socketId);
          c.webhooks.write({ name: 'member_removed', channel, user_id: removedUserId }, c.transport);
        }
      }
      const { vacated } = await this.state.unsubscribe(channel, c.socketId);
      if (vacated) c.webhooks.write({ name: 'channel_vacated', channel }, c.transport);
    } catch (err) {
      this.log.warn('leave failed', { channel, err: (err as Error).message });
    }
  }

  private clientEvent(c: LocalConnection, msg: ClientMessage): void {
    const channel = msg.channel;
    if (msg.event.length > MAX_EVENT_NAME) {
      this.send(c, errorFrame(CloseCode.ClientEventRejected, `Client event rejected: event name over ${MAX_EVENT_NAME} characters`));
      return;
    }
    if (typeof channel !== 'string' || channelKind(channel) === 'public') {
      this.send(c, errorFrame(CloseCode.ClientEventRejected, 'Client events are only allowed on private and presence channels'));
      return;
    }
    const sub = c.channels.get(channel);
    if (!sub) {
      this.send(c, errorFrame(CloseCode.ClientEventRejected, `Client event rejected: not subscribed to ${channel}`));
      return;
    }
    if (!c.clientEvents.take(Date.now())) {
      this.send(c, errorFrame(CloseCode.ClientEventRejected, 'Client event rejected due to rate limit'));
      return;
    }
    const data = typeof msg.data === 'string' ? msg.data : JSON.stringify(msg.data ?? null);
    if (Buffer.byteLength(data) > MAX_EVENT_DATA_BYTES) {
      this.send(c, errorFrame(CloseCode.ClientEventRejected, 'Client event rejected: data over 10 KB'));
      return;
    }
    const out: Record<string, unknown> = { event: msg.event, channel, data: msg.data };
    if (sub.userId !== undefined) out.user_id = sub.userId;
    void this.publishFrame(channel, JSON.stringify(out), c.socketId);
    const hook = { name: 'client_event' as const, channel, event: msg.event, data, socket_id: c.socketId };
    c.webhooks.write(sub.userId !== undefined ? { ...hook, user_id: sub.userId } : hook, c.transport);
  }

  /** REST publish: one fan-out message per channel. */
  async publish(req: PublishRequest): Promise<void> {
    await Promise.all(
      req.channels.map((channel) => {
        const f: Record<string, unknown> = { event: req.event, channel, data: req.data };
        if (req.userId !== undefined) f.user_id = req.userId;
        return this.publishFrame(channel, JSON.stringify(f), req.excludeSocketId);
      }),
    );
  }

  private async publishFrame(channel: string, f: string, exclude: string | undefined): Promise<void> {
    let routing = channel;
    if (this.config.versionSpec.metricsTagLeaksIntoRouting) {
      // v2's defect (2019-12): the metrics tag meant for the metrics service ends up in the routing key.
      routing = `${channel}#metrics@${this.config.file.metricsServiceAddress ?? ''}`;
    }
    await this.state.publish({ channel: routing, frame: f, exclude, t: Date.now() });
  }

  /** A message published on any pod: send it to this pod's subscribers of the channel. */
  deliver(m: FanoutMessage): void {
    const subs = this.local.get(m.channel);
    if (!subs) return;
    let ws = 0;
    let xs = 0;
    let xp = 0;
    // Encoded once for every subscriber instead of once per socket.
    const shared = new SharedFrame(m.frame);
    for (const c of subs) {
      if (c.socketId === m.exclude || c.closed) continue;
      c.conn.send(m.frame, shared);
      if (c.transport === 'ws') ws++;
      else if (c.transport === 'xhr_streaming') xs++;
      else xp++;
    }
    const lat = (Date.now() - m.t) / 1000;
    if (ws) {
      this.out.ws.inc(ws);
      this.lat.ws.observe(lat);
    }
    if (xs) {
      this.out.xhr_streaming.inc(xs);
      this.lat.xhr_streaming.observe(lat);
    }
    if (xp) {
      this.out.xhr_polling.inc(xp);
      this.lat.xhr_polling.observe(lat);
    }
  }

  /** Close every client (graceful shutdown uses a 4200 "reconnect now" code). */
  closeAll(code: number, reason: string): void {
    for (const c of [...this.connections.values()]) {
      this.send(c, errorFrame(code, reason));
      c.conn.close(code, reason);
    }
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }
}
