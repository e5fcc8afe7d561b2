/**
 * A command-line option the command cannot use: bad input, named with its fix. It carries a code, so
 * the run guard passes it to the CLI's exit 2 as it is, not as an internal error.
 */
export class OptionError extends Error {
  readonly code = 'BAD_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}
