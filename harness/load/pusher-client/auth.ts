/**
 * Channel authorization computed locally with the app secret, as an app's auth endpoint would:
 * `key:HMAC_SHA256_hex(secret, "socket_id:channel[:channel_data]")` (Pusher's documented format).
 */
import { createHmac } from 'node:crypto';

export interface AppCredentials {
  id: string;
  key: string;
  secret: string;
}

export type ChannelKind = 'public' | 'private' | 'presence';

export function channelKindOf(channel: string): ChannelKind {
  if (channel.startsWith('presence-')) return 'presence';
  if (channel.startsWith('private-')) return 'private';
  return 'public';
}

export function channelPrefix(kind: ChannelKind): string {
  return kind === 'public' ? '' : `${kind}-`;
}

export interface ChannelAuth {
  auth?: string;
  channelData?: string;
}

export interface PresenceUser {
  userId: string;
  userInfo?: Record<string, unknown>;
}

export function authorizeChannel(app: Pick<AppCredentials, 'key' | 'secret'>, socketId: string, channel: string, user?: PresenceUser): ChannelAuth {
  const kind = channelKindOf(channel);
  if (kind === 'public') return {};
  const channelData = kind === 'presence' ? JSON.stringify({ user_id: user?.userId ?? `anon-${socketId}`, user_info: user?.userInfo ?? {} }) : undefined;
  const toSign = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  const auth = `${app.key}:${createHmac('sha256', app.secret).update(toSign, 'utf8').digest('hex')}`;
  return channelData === undefined ? { auth } : { auth, channelData };
}
