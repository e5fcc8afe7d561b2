import { createReadStream } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { HistoryParseError } from './errors.ts';
import { historyEventSchema, type HistoryEvent } from './events.ts';
import { typedFromLegacyLine } from './legacy-evidence.ts';

// NDJSON: one event per line, so a history can be streamed while written, read while large, and
// re-judged later (`harness report <run-dir>`) without re-running anything.

export const HISTORY_FILE = 'history.ndjson';

export function toLine(event: HistoryEvent): string {
  return `${JSON.stringify(event)}\n`;
}

export async function writeHistoryFile(file: string, events: Iterable<HistoryEvent>): Promise<void> {
  let text = '';
  for (const e of events) text += toLine(e);
  await writeFile(file, text);
}

export function parseLine(text: string, file: string, line: number): HistoryEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new HistoryParseError(file, line, 'expected one JSON object per line');
  }
  const parsed = historyEventSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.join('.');
    throw new HistoryParseError(file, line, `not a history event${at ? ` (${at}: ${issue.message})` : `: ${issue.message}`}`);
  }
  const e = parsed.data;
  // A pod sampled before Docker's OOM flag was recorded: a sample in state oomKilled had it set.
  if (e.type === 'pod.sample' && e.oomKilled === undefined && e.state === 'oomKilled') return { ...e, oomKilled: true };
  return e;
}

export interface ReadHistoryOptions {
  /**
   * Called when the last line was cut mid-line (no newline after it, not an event): a run killed or a
   * disk that filled while a batch was written. The line is skipped; the history ends before it, and
   * without its `run.ended` the verdict is unknown. A malformed line anywhere else still throws.
   */
  onTornTail?: (line: number) => void;
}

/** Stream a saved history; blank lines are skipped, a malformed line throws with its line number. */
export async function* readHistoryFile(file: string, options: ReadHistoryOptions = {}): AsyncGenerator<HistoryEvent> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  // A line that does not parse is held until we know whether it is the file's torn last line.
  let bad: { n: number; error: unknown } | undefined;
  for await (const text of rl) {
    n++;
    if (text.trim() === '') continue;
    if (bad) throw bad.error;
    let event: HistoryEvent;
    try {
      event = parseLine(text, file, n);
    } catch (error) {
      if (!(error instanceof HistoryParseError)) throw error;
      bad = { n, error };
      continue;
    }
    yield event;
    // An older run's evidence line: its typed event follows it (legacy-evidence.ts).
    const typed = event.type === 'log.line' ? typedFromLegacyLine(event) : undefined;
    if (typed) yield typed;
  }
  if (!bad) return;
  if (!(await endsWithNewline(file))) {
    options.onTornTail?.(bad.n);
    return;
  }
  throw bad.error;
}

async function endsWithNewline(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size === 0) return true;
    const buf = Buffer.alloc(1);
    await fh.read(buf, 0, 1, size - 1);
    return buf[0] === 0x0a;
  } finally {
    await fh.close();
  }
}
