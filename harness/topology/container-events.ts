import type { Readable } from 'node:stream';
import { docker } from '../platform/docker.ts';

/** One container event as Docker's events API writes it (one JSON object per line). */
export interface ContainerEvent {
  action: string;
  /** The exit code a `die` event carries. */
  exitCode?: number;
}

/**
 * Splits Docker's event stream into events. A chunk may end inside a line: the rest waits in the
 * returned buffer for the next chunk, so no event is lost at a chunk boundary.
 */
export function parseEventChunk(buffered: string, chunk: string): { events: ContainerEvent[]; rest: string } {
  const lines = (buffered + chunk).split('\n');
  const rest = lines.pop() ?? '';
  const events: ContainerEvent[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    let e: { Action?: unknown; Actor?: { Attributes?: Record<string, string> } };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      continue; // not an event line; Docker writes nothing else on this stream
    }
    if (typeof e.Action !== 'string') continue;
    const code = e.Actor?.Attributes?.exitCode;
    events.push(code !== undefined && Number.isFinite(Number(code)) ? { action: e.Action, exitCode: Number(code) } : { action: e.Action });
  }
  return { events, rest };
}

function eventStream(id: string, actions: readonly string[], window: { since?: number; until?: number } = {}): Promise<Readable> {
  return docker().then(
    async (d) => (await d.getEvents({ ...window, filters: { container: [id], type: ['container'], event: [...actions] } })) as unknown as Readable,
  );
}

export interface ContainerEventWatch {
  /** The actions seen so far. */
  seen: ReadonlySet<string>;
  /** The exit code of the last `die` seen. */
  exitCode(): number | undefined;
  close(): void;
}

/** Docker's own record of one container, live: the given actions as they happen, until closed. */
export async function watchContainerEvents(id: string, actions: readonly string[]): Promise<ContainerEventWatch> {
  const seen = new Set<string>();
  let exitCode: number | undefined;
  let rest = '';
  const stream = await eventStream(id, actions);
  stream.on('data', (chunk: Buffer) => {
    const parsed = parseEventChunk(rest, chunk.toString('utf8'));
    rest = parsed.rest;
    for (const e of parsed.events) {
      seen.add(e.action);
      if (e.action === 'die' && e.exitCode !== undefined) exitCode = e.exitCode;
    }
  });
  stream.on('error', () => undefined);
  return { seen, exitCode: () => exitCode, close: () => stream.destroy() };
}

// Seconds since the epoch; Docker takes fractions.
const toDockerTime = (ms: number) => Math.round(ms) / 1000;

/**
 * The actions Docker logged for one container from `sinceMs` until now: a finished query of the
 * daemon's event log, no live stream. Resolves to an empty set when the daemon cannot say.
 */
export async function loggedContainerEvents(id: string, actions: readonly string[], sinceMs: number, timeoutMs = 2000): Promise<Set<string>> {
  const seen = new Set<string>();
  let stream: Readable | undefined;
  try {
    stream = await eventStream(id, actions, { since: toDockerTime(sinceMs), until: toDockerTime(Date.now()) });
    let rest = '';
    const ended = new Promise<void>((resolve) => {
      stream!.on('data', (chunk: Buffer) => {
        const parsed = parseEventChunk(rest, chunk.toString('utf8'));
        rest = parsed.rest;
        for (const e of parsed.events) seen.add(e.action);
      });
      stream!.on('end', resolve);
      stream!.on('close', resolve);
      stream!.on('error', () => resolve());
    });
    await Promise.race([ended, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    for (const e of parseEventChunk(rest, '\n').events) seen.add(e.action);
  } catch {
    // the daemon's log is a second witness: without it the caller keeps what inspect said
  } finally {
    stream?.destroy();
  }
  return seen;
}
