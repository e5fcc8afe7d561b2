import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { HistoryParseError } from './errors.ts';
import { historyEventSchema, type HistoryEvent } from './events.ts';

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
  return parsed.data;
}

/** Stream a saved history; blank lines are skipped, a malformed line throws with its line number. */
export async function* readHistoryFile(file: string): AsyncGenerator<HistoryEvent> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    if (text.trim() === '') continue;
    yield parseLine(text, file, n);
  }
}
