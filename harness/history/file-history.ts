import { closeSync, openSync, writeSync } from 'node:fs';
import { HistoryClosedError } from './errors.ts';
import type { HistoryEvent, HistoryEventInput } from './events.ts';
import { BaseHistory, normalize } from './history.ts';
import { readHistoryFile, toLine } from './ndjson.ts';

export interface FileHistoryOptions {
  /** Flush when this many bytes are buffered. */
  bufferBytes?: number;
  /** Flush at least this often, so a crash loses little. */
  flushEveryMs?: number;
  clock?: () => number;
}

/**
 * Streams every event to an NDJSON file and keeps only counts in memory, so a long run's memory stays
 * flat. Writes are synchronous in small batches: simple, ordered, and nothing is lost to a pending
 * async write when the process is interrupted after a flush.
 */
export class FileHistory extends BaseHistory {
  private fd: number | undefined;
  private buffer: string[] = [];
  private buffered = 0;
  private readonly limit: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly file: string,
    options: FileHistoryOptions = {},
  ) {
    super(options.clock);
    this.fd = openSync(file, 'a');
    this.limit = options.bufferBytes ?? 64 * 1024;
    this.timer = setInterval(() => this.flush(), options.flushEveryMs ?? 500);
    this.timer.unref();
  }

  append(event: HistoryEventInput): void {
    if (this.fd === undefined) throw new HistoryClosedError();
    const line = toLine(normalize(event));
    this.buffer.push(line);
    this.buffered += line.length;
    this.byType[event.type] = (this.byType[event.type] ?? 0) + 1;
    this.count++;
    if (this.buffered >= this.limit) this.flush();
  }

  flush(): void {
    if (this.fd === undefined || this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.buffered = 0;
  }

  /** Reads the file back; flushes first so the reader sees every appended event. */
  events(): AsyncIterable<HistoryEvent> {
    this.flush();
    return readHistoryFile(this.file);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
