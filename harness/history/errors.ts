import { HarnessError } from '../scenario/errors.ts';

/** A saved history line is not JSON or not a known event: re-judging it would be guesswork. */
export class HistoryParseError extends HarnessError {
  readonly code = 'HISTORY_INVALID';
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'HistoryParseError';
  }
}

/** Appending after close() would silently lose evidence. */
export class HistoryClosedError extends HarnessError {
  readonly code = 'HISTORY_CLOSED';
  constructor() {
    super('history is closed: no event can be appended after close()');
    this.name = 'HistoryClosedError';
  }
}
