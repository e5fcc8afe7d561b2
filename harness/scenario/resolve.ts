import { checkAxes } from './axes/check-axes.ts';
import { crossCheck } from './cross-check.ts';
import { ScenarioValidationError, UnknownVariantError, type ScenarioIssue } from './errors.ts';
import { scenarioErrorMap, toScenarioIssues } from './format-issues.ts';
import { deepOverride } from './override.ts';
import { bodySchema, scenarioFileSchema, type ResolvedScenario } from './scenario-schema.ts';
import { withSemanticChecks } from './semantic-checks.ts';
import type { Expectation } from './schema.ts';

export const DEFAULT_FILE_LABEL = '<scenario>';

export interface ValidatedScenario {
  id: string;
  title: string;
  file: string | undefined;
  variants: string[];
  /** Each variant, resolved. Every variant is resolved during validation, so all errors surface at once. */
  resolved: Record<string, ResolvedScenario>;
}

const PARSE = { error: scenarioErrorMap, reportInput: true } as const;
const META_KEYS = ['id', 'title', 'postmortem', 'summary', 'variants'];

/**
 * Validate a scenario object and resolve every variant. Throws `ScenarioValidationError` naming the
 * file, each field path and what was expected.
 */
export function validateScenario(input: unknown, file?: string): ValidatedScenario {
  const label = file ?? DEFAULT_FILE_LABEL;
  const top = scenarioFileSchema.safeParse(input, PARSE);
  if (!top.success) throw new ScenarioValidationError(label, toScenarioIssues(top.error));

  const raw = input as Record<string, unknown>;
  const base = Object.fromEntries(Object.entries(raw).filter(([k]) => !META_KEYS.includes(k)));
  const baseIssues = crossCheck(bodySchema.parse(base), undefined);
  if (baseIssues.length > 0) throw new ScenarioValidationError(label, baseIssues);

  const issues: ScenarioIssue[] = [];
  const resolved: Record<string, ResolvedScenario> = {};
  for (const [name, variant] of Object.entries(top.data.variants)) {
    const { description, expect, ...override } = (raw.variants as Record<string, Record<string, unknown>>)[name]!;
    void description;
    void expect;
    const prefix = `variants.${name}`;
    const merged = bodySchema.safeParse(deepOverride(base, override), PARSE);
    if (!merged.success) {
      issues.push(...toScenarioIssues(merged.error, prefix));
      continue;
    }
    const expectation: Expectation = variant.expect ?? { hold: 'all' };
    // Delivery semantics are judged by default wherever a variant holds all (semantic-checks.ts).
    const body = withSemanticChecks(merged.data, expectation);
    const refs = crossCheck(body, expectation);
    if (refs.length === 0) refs.push(...checkAxes(body, expectation));
    if (refs.length > 0) {
      issues.push(...refs.map((i) => ({ ...i, path: `${prefix}.${i.path}` })));
      continue;
    }
    resolved[name] = {
      id: top.data.id,
      title: top.data.title,
      postmortem: top.data.postmortem,
      summary: top.data.summary,
      ...body,
      variant: name,
      variantDescription: variant.description,
      expectation,
      file,
    };
  }
  if (issues.length > 0) throw new ScenarioValidationError(label, issues);
  return { id: top.data.id, title: top.data.title, file, variants: Object.keys(resolved), resolved };
}

/** One variant's plan. */
export function resolveVariant(scenario: ValidatedScenario, variant: string): ResolvedScenario {
  const r = scenario.resolved[variant];
  if (!r) throw new UnknownVariantError(scenario.id, variant, scenario.variants);
  return r;
}

/** The variants `--variant at-scale` runs: benchmark-sized replays (10,000+ connections), never part of `all`. */
export const AT_SCALE_VARIANTS = ['incident-at-scale', 'remediated-at-scale'] as const;

export function isAtScaleVariant(name: string): boolean {
  return (AT_SCALE_VARIANTS as readonly string[]).includes(name);
}

/**
 * `both` means incident then remediated; `at-scale` their at-scale pair; `all` every variant but the
 * at-scale ones (minutes each at full machine load: run them on purpose); a name means that variant alone.
 */
export function selectVariants(scenario: ValidatedScenario, request: string): ResolvedScenario[] {
  if (request === 'both') return [resolveVariant(scenario, 'incident'), resolveVariant(scenario, 'remediated')];
  if (request === 'at-scale') return AT_SCALE_VARIANTS.map((v) => resolveVariant(scenario, v));
  if (request === 'all') return scenario.variants.filter((v) => !isAtScaleVariant(v)).map((v) => resolveVariant(scenario, v));
  return [resolveVariant(scenario, request)];
}
