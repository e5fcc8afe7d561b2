/** A configuration the pod refuses to start with. main.ts logs "config rejected" and exits 78. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_REJECTED';
  constructor(
    message: string,
    readonly variable?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** sysexits EX_CONFIG */
export const CONFIG_EXIT_CODE = 78;
