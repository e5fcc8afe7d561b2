/**
 * The key that pairs an expected webhook with a received one. Probe channels are unique per
 * activity (one channel per tick), so event name + channel names exactly one webhook.
 */
export function webhookKey(event: string, channel: string): string {
  return `${event}:${channel}`;
}
