// Public barrel: what scenario files and the runtime import. Scenario files use
// `import { defineScenario } from '../harness/index.ts'`.
export { defineScenario } from './scenario/define-scenario.ts';
export type {
  ScenarioInput,
  VariantInput,
  ResolvedScenario,
  ScenarioBody,
  ScenarioMetadata,
} from './scenario/scenario-schema.ts';
export type {
  Deployment,
  Topology,
  Load,
  Probe,
  Alert,
  AlertRule,
  Slo,
  Selector,
  Expectation,
  ReconnectPolicy,
} from './scenario/schema.ts';
export {
  actionRegistry,
  ACTION_TYPES,
  type ActionType,
  type ActionParams,
  type TimelineAction,
  type TimelineActionInput,
  type TargetKind,
} from './scenario/actions.ts';
export type { Condition, EventMatcher, Labels, Comparator } from './scenario/conditions.ts';
export { TRANSPORTS, FALLBACK_TRANSPORTS, ROLES, WEBHOOK_EVENTS, type Transport, type Role, type WebhookEvent } from './scenario/vocabulary.ts';
export { loadScenario } from './scenario/load-scenario.ts';
export { validateScenario, resolveVariant, selectVariants, type ValidatedScenario } from './scenario/resolve.ts';
export { HarnessError, ScenarioValidationError, ScenarioLoadError, UnknownVariantError } from './scenario/errors.ts';
