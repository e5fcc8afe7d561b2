/**
 * App versions and the configuration keys each one knows (the 2019-12 incident turns on this).
 *
 * The "config version" is a JSON file deployed separately from the app version (CONFIG_FILE).
 * v2 added `metricsServiceAddress` and shipped with a delivery defect; v3 is v2 fixed.
 */
export const APP_VERSIONS = ['v1', 'v2', 'v3'] as const;
export type AppVersion = (typeof APP_VERSIONS)[number];

const V1_KEYS = ['configVersion', 'activityTimeout', 'clientEventRateLimit', 'maxPresenceMembers'] as const;
const V2_KEYS = [...V1_KEYS, 'metricsServiceAddress'] as const;

export interface VersionSpec {
  readonly knownKeys: readonly string[];
  /** Keys the version cannot start without. */
  readonly requiredKeys: readonly string[];
  /**
   * v2's defect: the metrics tag meant for the metrics service leaks into the fan-out routing key,
   * so published events are routed to a channel nobody subscribes to (REST answers 200, nothing
   * is delivered; the synthetic "message delivery" check fails).
   */
  readonly metricsTagLeaksIntoRouting: boolean;
}

export const VERSION_SPECS: Record<AppVersion, VersionSpec> = {
  v1: { knownKeys: V1_KEYS, requiredKeys: [], metricsTagLeaksIntoRouting: false },
  v2: { knownKeys: V2_KEYS, requiredKeys: ['metricsServiceAddress'], metricsTagLeaksIntoRouting: true },
  v3: { knownKeys: V2_KEYS, requiredKeys: ['metricsServiceAddress'], metricsTagLeaksIntoRouting: false },
};
