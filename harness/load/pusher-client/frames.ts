/**
 * Pusher protocol 7 frames as a client sees them: JSON objects with `event`, optional `channel`, and
 * `data` that is usually a JSON-encoded string (pusher:error carries an object).
 */

export interface PusherFrame {
  event: string;
  channel?: string;
  /** As received: a string (often JSON inside) or, for pusher:error, an object. */
  data: unknown;
  user_id?: string;
}

/** Parses one inbound frame; undefined when the text is not a Pusher frame. */
export function parsePusherFrame(text: string): PusherFrame | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.event !== 'string') return undefined;
  const frame: PusherFrame = { event: o.event, data: o.data };
  if (typeof o.channel === 'string') frame.channel = o.channel;
  if (typeof o.user_id === 'string') frame.user_id = o.user_id;
  return frame;
}

/** The frame's data as an object: decodes the JSON string Pusher wraps most data in. */
export function dataObject(frame: PusherFrame): Record<string, unknown> {
  let d = frame.data;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d);
    } catch {
      return {};
    }
  }
  return typeof d === 'object' && d !== null && !Array.isArray(d) ? (d as Record<string, unknown>) : {};
}

export interface Established {
  socketId: string;
  /** Seconds of silence after which the client should ping. */
  activityTimeoutS: number;
}

export function parseEstablished(frame: PusherFrame): Established | undefined {
  if (frame.event !== 'pusher:connection_established') return undefined;
  const d = dataObject(frame);
  if (typeof d.socket_id !== 'string') return undefined;
  return { socketId: d.socket_id, activityTimeoutS: typeof d.activity_timeout === 'number' ? d.activity_timeout : 120 };
}

export interface PusherErrorData {
  code: number | null;
  message: string;
}

export function parseError(frame: PusherFrame): PusherErrorData | undefined {
  if (frame.event !== 'pusher:error') return undefined;
  const d = dataObject(frame);
  return { code: typeof d.code === 'number' ? d.code : null, message: typeof d.message === 'string' ? d.message : '' };
}

export function encodeFrame(event: string, data: unknown, channel?: string): string {
  const o: Record<string, unknown> = { event, data };
  if (channel !== undefined) o.channel = channel;
  return JSON.stringify(o);
}

export function subscribeFrame(channel: string, auth?: string, channelData?: string): string {
  const data: Record<string, string> = { channel };
  if (auth !== undefined) data.auth = auth;
  if (channelData !== undefined) data.channel_data = channelData;
  return encodeFrame('pusher:subscribe', data);
}

export function unsubscribeFrame(channel: string): string {
  return encodeFrame('pusher:unsubscribe', { channel });
}

export const PING_FRAME = encodeFrame('pusher:ping', {});
