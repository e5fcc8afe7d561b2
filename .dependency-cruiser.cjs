// The layer rules of harness/ (README, "Layout"), checked by `npm test` before the tests run
// (scripts/test.sh: `npx depcruise --config .dependency-cruiser.cjs harness scenarios scripts`).
// Tests, test helpers (testing/) and fixtures compose layers to exercise one, so the layer rules
// leave them out; no cycles holds for everything.

const TESTS = '(\\.test\\.ts$|/testing/|/fixtures/)';
/** The pure stages: functions of a scenario, a history, a series: no Docker, no processes. */
const PURE = '^harness/(scenario|plan|history|metrics|verdict|report)/';
/** The adapters the live path drives. */
const ADAPTERS = '^harness/(platform|topology|load|probes|faults|servers)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycle anywhere that runs: a cycle made only through type imports is erased at compile time.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'run-only-from-cli',
      severity: 'error',
      comment: 'run/ is the orchestrator: only cli/ and margin/ (which runs replays along a stress axis) import it.',
      from: { path: '^harness/', pathNot: ['^harness/(run|cli|margin)/', TESTS] },
      to: { path: '^harness/run/' },
    },
    {
      name: 'cli-is-the-top',
      severity: 'error',
      comment: 'Nothing imports the command line.',
      from: { path: '^(harness|scenarios|scripts)/', pathNot: ['^harness/cli/', TESTS] },
      to: { path: '^harness/cli/' },
    },
    {
      name: 'capacity-only-from-cli',
      severity: 'error',
      comment: 'capacity/ is a second orchestrator: only cli/ and margin/ (its capacity cross-check) import it from inside harness/ (a scenario file may size pods with capacity/sizing.ts).',
      from: { path: '^harness/', pathNot: ['^harness/(capacity|cli|margin)/', TESTS] },
      to: { path: '^harness/capacity/' },
    },
    {
      name: 'conformance-only-from-cli',
      severity: 'error',
      comment: 'conformance/ (harness conformance: the protocol checked with the real clients) is a command of its own: only cli/ imports it.',
      from: { path: '^harness/', pathNot: ['^harness/(conformance|cli)/', TESTS] },
      to: { path: '^harness/conformance/' },
    },
    {
      name: 'export-only-from-cli',
      severity: 'error',
      comment: 'export/ (harness export: a variant written out for another runner, e.g. k6-operator) is a command of its own: only cli/ imports it.',
      from: { path: '^harness/', pathNot: ['^harness/(export|cli)/', TESTS] },
      to: { path: '^harness/export/' },
    },
    {
      name: 'export-runs-nothing',
      severity: 'error',
      comment: 'export/ reads a resolved scenario and the k6 runs it makes (load/scenario-k6.ts) and writes files: it starts, judges and reports nothing.',
      from: { path: '^harness/export/', pathNot: TESTS },
      to: { path: '^harness/(run|capacity|margin|topology|faults|probes|servers|verdict|report|mutation|conformance|peer-bench)/' },
    },
    {
      name: 'peer-bench-only-from-scripts',
      severity: 'error',
      comment: 'peer-bench/ (npm run bench:peers: our server and its peers under the same load) is run by scripts/bench-peers.ts only.',
      from: { path: '^harness/', pathNot: ['^harness/peer-bench/', TESTS] },
      to: { path: '^harness/peer-bench/' },
    },
    {
      name: 'platform-is-the-bottom',
      severity: 'error',
      comment: 'platform/ (tools, Docker, labels, teardown, exit codes) imports no other harness folder.',
      from: { path: '^harness/platform/', pathNot: TESTS },
      to: { path: '^harness/', pathNot: '^harness/platform/' },
    },
    {
      name: 'pure-stages-start-nothing',
      severity: 'error',
      comment: 'scenario, plan, history, metrics, verdict and report are pure: they import no adapter, orchestrator or CLI.',
      from: { path: PURE, pathNot: TESTS },
      // The action registry is the one source of the scenario's action union and its load-time checks
      // (one entry per action): scenario/ reads it. Its modules start nothing when imported.
      to: { path: [ADAPTERS, '^harness/(run|capacity|cli|mutation|margin)/'], pathNot: ['^harness/platform/exit-codes\\.ts$', '^harness/faults/(registry|fault)\\.ts$'] },
    },
    {
      name: 'verdict-reads-history-only',
      severity: 'error',
      comment: 'verdict/ judges a history: it imports scenario/, history/ and metrics/ only (never run/, load/, topology/, faults/).',
      from: { path: '^harness/verdict/', pathNot: TESTS },
      to: { path: '^harness/', pathNot: '^harness/(verdict|scenario|history|metrics)/' },
    },
    {
      name: 'report-reads-results-only',
      severity: 'error',
      comment: 'report/ renders history, metrics and verdicts of a resolved scenario, and the exit code they make.',
      from: { path: '^harness/report/', pathNot: TESTS },
      to: { path: '^harness/', pathNot: ['^harness/(report|history|metrics|verdict|scenario)/', '^harness/platform/exit-codes\\.ts$'] },
    },
    {
      name: 'live-path-does-not-judge',
      severity: 'error',
      comment: 'What runs during a replay (adapters, live conditions) never imports verdict/: running and judging meet only in the history (run-variant.ts judges after the replay).',
      from: { path: [ADAPTERS, '^harness/run/live-conditions\\.ts$'], pathNot: TESTS },
      to: { path: '^harness/(verdict|report)/' },
    },
    {
      name: 'adapters-below-orchestrators',
      severity: 'error',
      comment: 'topology/, load/, probes/ and faults/ do not import the orchestrators or the pure stages above the history.',
      from: { path: '^harness/(topology|load|probes|faults)/', pathNot: TESTS },
      to: { path: '^harness/(run|capacity|cli|plan|verdict|report|mutation|margin)/' },
    },
    {
      name: 'server-profiles-start-pods-only',
      comment: 'servers/ (one module per server: image, pod runtime, capabilities) builds on platform/ and topology/ reads the capabilities schema of plan/ and the app credentials of load/; the orchestrators choose a profile, nothing below them does.',
      severity: 'error',
      from: { path: '^harness/servers/', pathNot: TESTS },
      to: { path: '^harness/', pathNot: ['^harness/(servers|platform|topology)/', '^harness/plan/server-capabilities\\.ts$', '^harness/scenario/vocabulary\\.ts$', '^harness/load/app\\.ts$'] },
    },
    {
      name: 'profiles-chosen-by-orchestrators',
      comment: 'Only the orchestrators (run/, cli/, margin/, capacity/, conformance/, peer-bench/) pick a server profile; topology/ gets a ServerRuntime handed to it.',
      severity: 'error',
      from: { path: '^harness/', pathNot: ['^harness/(servers|run|cli|margin|capacity|conformance|peer-bench)/', TESTS] },
      to: { path: '^harness/servers/' },
    },
    {
      name: 'no-barrel-inside',
      severity: 'error',
      comment: 'harness/index.ts is the public entry for scenario files and other repos; harness code imports the module itself.',
      from: { path: '^harness/', pathNot: ['^harness/index\\.ts$', TESTS] },
      to: { path: '^harness/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^node_modules|^server-under-test|^reports/out)' },
    // Type-only imports count: a type from a higher layer couples as much as a value does.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6'],
  },
};
