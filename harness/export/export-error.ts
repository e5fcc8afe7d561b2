import { HarnessError } from '../scenario/errors.ts';

/** `harness export`: an input that cannot make a usable export, named with the fix; nothing is written. */
export class ExportError extends HarnessError {
  readonly code = 'EXPORT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}
