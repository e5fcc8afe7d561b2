// Errors carry a stable `code` so the CLI and CI can branch on them without parsing messages.
export abstract class HarnessError extends Error {
  abstract readonly code: string;
}

export interface ScenarioIssue {
  /** Field path as a person reads it: `variants.incident.topology.deployments[1].memoryMb`. */
  path: string;
  message: string;
}

/** The scenario file exists and imports, but its content does not match the schema. */
export class ScenarioValidationError extends HarnessError {
  readonly code = 'SCENARIO_INVALID';
  constructor(
    readonly file: string,
    readonly issues: ScenarioIssue[],
  ) {
    super(
      issues.length === 1
        ? `${file}: ${formatIssue(issues[0]!)}`
        : `${file}: ${issues.length} problems\n${issues.map((i) => `  ${file}: ${formatIssue(i)}`).join('\n')}`,
    );
    this.name = 'ScenarioValidationError';
  }
}

/** The scenario file could not be found or imported, or exports nothing usable. */
export class ScenarioLoadError extends HarnessError {
  readonly code = 'SCENARIO_LOAD_FAILED';
  constructor(
    readonly file: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${detail}`, options);
    this.name = 'ScenarioLoadError';
  }
}

/** A variant was requested that the scenario does not define. */
export class UnknownVariantError extends HarnessError {
  readonly code = 'SCENARIO_UNKNOWN_VARIANT';
  constructor(
    readonly scenarioId: string,
    readonly variant: string,
    readonly known: string[],
  ) {
    super(`scenario ${scenarioId} has no variant "${variant}" (known: ${known.join(', ')})`);
    this.name = 'UnknownVariantError';
  }
}

function formatIssue(issue: ScenarioIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}
