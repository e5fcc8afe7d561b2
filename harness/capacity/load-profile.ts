import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError, type ScenarioIssue } from '../scenario/errors.ts';
import { scenarioErrorMap, toScenarioIssues } from '../scenario/format-issues.ts';
import { CONNECTION_ROLES, MAX_FALLBACK_SESSIONS_PER_RUN, profileSchema, type CapacityProfile } from './profile-schema.ts';

/** The default profile (a few minutes on a 2-core machine), the quick one the tests use, and the natural one. */
export const DEFAULT_PROFILE = path.resolve(import.meta.dirname, '../../capacity/profile.json');
export const QUICK_PROFILE = path.resolve(import.meta.dirname, '../../capacity/profile.quick.json');
/** No padding: the server's own per-connection memory (saved as capacity/model-natural.json). */
export const NATURAL_PROFILE = path.resolve(import.meta.dirname, '../../capacity/profile.natural.json');

export class ProfileError extends HarnessError {
  readonly code = 'CAPACITY_PROFILE_INVALID';
  constructor(
    readonly file: string,
    readonly issues: ScenarioIssue[],
  ) {
    const lines = issues.map((i) => `${file}: ${i.path ? `${i.path}: ` : ''}${i.message}`);
    super(lines.length === 1 ? lines[0]! : `${file}: ${issues.length} problems\n${lines.map((l) => `  ${l}`).join('\n')}`);
    this.name = 'ProfileError';
  }
}

/** Rules across fields that the shape alone cannot say. */
function crossCheck(p: CapacityProfile): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  for (const role of CONNECTION_ROLES) {
    if (!p.connectionRuns.some((r) => r.role === role && r.use === 'fit')) {
      issues.push({ path: 'connectionRuns', message: `expected at least one run with role "${role}" and use "fit": the plan needs a memory model for every role` });
    }
  }
  p.connectionRuns.forEach((r, i) => {
    if (r.role === 'fallback' && r.maxConnections > MAX_FALLBACK_SESSIONS_PER_RUN) {
      issues.push({ path: `connectionRuns[${i}].maxConnections`, message: `expected at most ${MAX_FALLBACK_SESSIONS_PER_RUN} for a fallback run (the harness process holds its sessions, two sockets each), got ${r.maxConnections}` });
    }
  });
  if (!p.messageRuns.some((r) => r.use === 'fit')) issues.push({ path: 'messageRuns', message: 'expected at least one run with use "fit": the plan needs messages per core' });
  p.messageRuns.forEach((r, i) => {
    if (r.channels > r.subscribers) issues.push({ path: `messageRuns[${i}].channels`, message: `expected at most subscribers (${r.subscribers}), got ${r.channels}` });
    if (r.maxRatePerS < r.startRatePerS) issues.push({ path: `messageRuns[${i}].maxRatePerS`, message: `expected >= startRatePerS (${r.startRatePerS}), got ${r.maxRatePerS}` });
  });
  return issues;
}

/** Parses and validates a profile; errors name the file, the field and what was expected. */
export function parseProfile(value: unknown, file: string): CapacityProfile {
  const parsed = profileSchema.safeParse(value, { error: scenarioErrorMap, reportInput: true });
  if (!parsed.success) throw new ProfileError(file, toScenarioIssues(parsed.error));
  const issues = crossCheck(parsed.data);
  if (issues.length) throw new ProfileError(file, issues);
  return parsed.data;
}

export async function loadProfile(file: string, cwd = process.cwd()): Promise<CapacityProfile> {
  const absolute = path.resolve(cwd, file);
  const label = path.relative(cwd, absolute) || file;
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch {
    throw new ProfileError(label, [{ path: '', message: 'file not found' }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ProfileError(label, [{ path: '', message: `not valid JSON (${(err as Error).message})` }]);
  }
  return parseProfile(value, label);
}
