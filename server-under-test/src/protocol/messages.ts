/** Pusher Channels protocol 7: frames, channel names, error codes. */
import { randomInt } from 'node:crypto';

export const PROTOCOL_VERSION = 7;
/** Event data limit from the HTTP API reference (413 above it). */
export const MAX_EVENT_DATA_BYTES = 10 * 1024;
export const MAX_CHANNEL_NAME = 200;
export const MAX_EVENT_NAME = 200;
/** Presence user ids, as the channel docs limit them. */
export const MAX_USER_ID = 128;

export const CloseCode = {
  /** 4000-4099: do not reconnect */
  AppNotFound: 4001,
  UnsupportedProtocol: 4007,
  OverConnectionQuota: 4004,
  /** 4100-4199: reconnect after a back-off */
  OverCapacity: 4100,
  /** 4200-4299: reconnect immediately */
  GenericReconnect: 4200,
  PongNotReceived: 4201,
  ClosedAfterInactivity: 4202,
  /** 4300-4399: other errors (connection stays open) */
  ClientEventRejected: 4301,
} as const;

export type Transport = 'ws' | 'xhr_streaming' | 'xhr_polling';
export const TRANSPORTS: readonly Transport[] = ['ws', 'xhr_streaming', 'xhr_polling'];

export type ChannelKind = 'public' | 'private' | 'presence';

export function channelKind(name: string): ChannelKind {
  if (name.startsWith('presence-')) return 'presence';
  if (name.startsWith('private-')) return 'private';
  return 'public';
}

const CHANNEL_RE = /^[A-Za-z0-9_\-=@,.;]+$/;
export function isValidChannelName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.length <= MAX_CHANNEL_NAME && CHANNEL_RE.test(name);
}

/** socket_id is "digits.digits"; the `pusher` REST client rejects anything else. */
export function newSocketId(): string {
  return `${randomInt(1, 2 ** 31 - 1)}.${randomInt(1, 2 ** 31 - 1)}`;
}
export const SOCKET_ID_RE = /^\d+\.\d+$/;

export function frame(event: string, data: unknown, channel?: string): string {
  const obj: Record<string, unknown> = { event };
  if (channel !== undefined) obj.channel = channel;
  obj.data = typeof data === 'string' ? data : JSON.stringify(data);
  return JSON.stringify(obj);
}

/** pusher:error carries its data as an object, not a string. */
export function errorFrame(code: number | null, message: string): string {
  return JSON.stringify({ event: 'pusher:error', data: { code, message } });
}

export function connectionEstablished(socketId: string, activityTimeout: number): string {
  return frame('pusher:connection_established', { socket_id: socketId, activity_timeout: activityTimeout });
}

export interface PresenceMember {
  userId: string;
  userInfo: unknown;
}

export function presenceData(members: PresenceMember[]): { presence: { ids: string[]; hash: Record<string, unknown>; count: number } } {
  const hash: Record<string, unknown> = {};
  for (const m of members) hash[m.userId] = m.userInfo ?? null;
  const ids = Object.keys(hash);
  return { presence: { ids, hash, count: ids.length } };
}

export interface ClientMessage {
  event: string;
  channel?: unknown;
  data?: unknown;
}

/** Parse one inbound frame; undefined when it is not a Pusher message. */
export function parseClientMessage(text: string): ClientMessage | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || typeof (v as { event?: unknown }).event !== 'string') return undefined;
  return v as ClientMessage;
}

/** Pusher's subscribe data may be an object or a JSON string. */
export function dataObject(data: unknown): Record<string, unknown> {
  if (typeof data === 'string') {
    try {
      const v: unknown = JSON.parse(data);
      return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}
