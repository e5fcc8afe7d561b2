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

// History: the only link between running and judging.
export type { HistoryEvent, HistoryEventInput, EventOf, FailureReason } from './history/events.ts';
export { historyEventSchema, reasonKey, POD_STATES } from './history/events.ts';
export type { History, HistoryStats } from './history/history.ts';
export { MemoryHistory } from './history/memory-history.ts';
export { FileHistory } from './history/file-history.ts';
export { HISTORY_FILE, readHistoryFile, writeHistoryFile } from './history/ndjson.ts';
export { readRunMeta } from './history/run-meta.ts';
export { HistoryParseError, HistoryClosedError } from './history/errors.ts';

// Metrics, verdicts, reports: pure functions of a history and a resolved scenario.
export { MetricsFold, observe, observeSync, type Observation, type FoldOptions } from './metrics/fold.ts';
export { mergedView, type MergedView } from './metrics/merged-view.ts';
export { judgeVariant, judgeObservation, foldOptionsFor, type VariantJudgement } from './verdict/judge.ts';
export { exitCodeFor, EXIT } from './platform/exit-codes.ts';
export type { Status, SloResult, Detection, VariantVerdict, VariantStatus } from './verdict/types.ts';
export type { AlertFiring } from './metrics/alert-rules.ts';
export { writeRunReports, type WrittenReports } from './report/write-run-reports.ts';
export { buildRunReport, type RunReport } from './report/report-data.ts';
export { reporters, DEFAULT_REPORTERS } from './report/index.ts';
export type { Reporter } from './report/reporter.ts';
export { summarySchema, SUMMARY_SCHEMA_VERSION, type Summary } from './report/summary-schema.ts';
