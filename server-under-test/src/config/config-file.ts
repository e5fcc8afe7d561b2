import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.ts';
import { VERSION_SPECS, type AppVersion } from './versions.ts';

export type UnknownKeysPolicy = 'reject' | 'warn';

export interface FileConfig {
  configVersion: string;
  activityTimeout: number;
  clientEventRateLimit: number;
  maxPresenceMembers: number;
  metricsServiceAddress: string | undefined;
}

export const FILE_DEFAULTS: FileConfig = {
  configVersion: 'none',
  activityTimeout: 120,
  clientEventRateLimit: 10,
  maxPresenceMembers: 100,
  metricsServiceAddress: undefined,
};

export interface FileConfigResult {
  config: FileConfig;
  /** Keys present in the file that this app version does not know (ignored under "warn"). */
  ignoredKeys: string[];
}

/** Validate a parsed config-version object against what `version` knows. Pure. */
export function validateFileConfig(raw: unknown, version: AppVersion, policy: UnknownKeysPolicy, source = 'CONFIG_FILE'): FileConfigResult {
  if (raw === undefined) raw = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${source}: expected a JSON object`, 'CONFIG_FILE');
  }
  const spec = VERSION_SPECS[version];
  const obj = raw as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !spec.knownKeys.includes(k));
  if (unknown.length > 0 && policy === 'reject') {
    throw new ConfigError(
      `${source}: app version ${version} does not know config key(s) ${unknown.join(', ')} ` +
        `(known: ${spec.knownKeys.join(', ')}); CONFIG_UNKNOWN_KEYS=reject refuses to start`,
      'CONFIG_FILE',
    );
  }
  for (const key of spec.requiredKeys) {
    if (obj[key] === undefined) {
      throw new ConfigError(`${source}: app version ${version} requires config key ${key}`, 'CONFIG_FILE');
    }
  }
  const config: FileConfig = { ...FILE_DEFAULTS };
  const num = (key: 'activityTimeout' | 'clientEventRateLimit' | 'maxPresenceMembers', min: number): void => {
    const v = obj[key];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new ConfigError(`${source}: ${key} must be an integer >= ${min}, got ${JSON.stringify(v)}`, 'CONFIG_FILE');
    }
    config[key] = v;
  };
  num('activityTimeout', 1);
  num('clientEventRateLimit', 1);
  num('maxPresenceMembers', 1);
  if (obj.configVersion !== undefined) {
    if (typeof obj.configVersion !== 'string' || obj.configVersion === '') {
      throw new ConfigError(`${source}: configVersion must be a non-empty string`, 'CONFIG_FILE');
    }
    config.configVersion = obj.configVersion;
  }
  if (spec.knownKeys.includes('metricsServiceAddress') && obj.metricsServiceAddress !== undefined) {
    if (typeof obj.metricsServiceAddress !== 'string' || !/^[^\s:]+:\d{1,5}$/.test(obj.metricsServiceAddress)) {
      throw new ConfigError(`${source}: metricsServiceAddress must be "host:port"`, 'CONFIG_FILE');
    }
    config.metricsServiceAddress = obj.metricsServiceAddress;
  }
  return { config, ignoredKeys: policy === 'warn' ? unknown : [] };
}

export function loadFileConfig(path: string | undefined, version: AppVersion, policy: UnknownKeysPolicy): FileConfigResult {
  if (!path) return validateFileConfig({}, version, policy);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`CONFIG_FILE: cannot read ${path}: ${(err as Error).message}`, 'CONFIG_FILE');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`CONFIG_FILE: ${path} is not valid JSON: ${(err as Error).message}`, 'CONFIG_FILE');
  }
  return validateFileConfig(raw, version, policy, `CONFIG_FILE ${path}`);
}
