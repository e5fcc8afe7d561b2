import type { EventOf } from './events.ts';
import { readHistoryFile } from './ndjson.ts';

/**
 * The run.meta event of a saved history (scenario id, variant, seed), so `harness report <run-dir>`
 * knows which scenario and variant to re-judge it against. Reads only until it finds it.
 */
export async function readRunMeta(file: string): Promise<EventOf<'run.meta'> | undefined> {
  for await (const e of readHistoryFile(file)) if (e.type === 'run.meta') return e;
  return undefined;
}
