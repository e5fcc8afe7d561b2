// The channel a webhook probe's activity uses, named so that a webhook arriving on it can be traced to
// the probe even when no expectation explains it (a stray). Lives with the history, which both the
// probes (writing) and the checkers (reading) depend on.

const PATTERN = /^(?:presence|private)-wh-([a-z][a-z0-9_-]*)-(\d+)$/;

export function webhookProbeChannel(probe: string, n: number, presence: boolean): string {
  return `${presence ? 'presence' : 'private'}-wh-${probe}-${n}`;
}

/** The probe id of a webhook probe channel; undefined for any other channel. */
export function probeOfWebhookChannel(channel: string): string | undefined {
  return PATTERN.exec(channel)?.[1];
}
