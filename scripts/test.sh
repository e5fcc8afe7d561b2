#!/usr/bin/env bash
# The README's test command (`npm test`): set-up, type checks, the import-graph layer check, then
# every test. Everything the tests start is labelled with this session's id and removed on the way
# out, also after Ctrl-C or a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit $?

export HARNESS_SESSION_ID="test-$(date +%s)-$$"
cleanup() { node harness/cli/bin.js down --session "$HARNESS_SESSION_ID" >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

npx tsc --noEmit -p tsconfig.json || exit 1
npx tsc --noEmit -p scenarios/load/tsconfig.json || exit 1
# The layer rules (.dependency-cruiser.cjs, README "Layout"): a violation or a cycle fails the run.
npx depcruise --config .dependency-cruiser.cjs harness scenarios scripts || exit 1
mkdir -p reports/out
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/out/vitest.json "$@"
status=$?
# One plain closing line for CI logs: counts from vitest's own JSON report.
node -e '
  const r = require("./reports/out/vitest.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' 2>/dev/null || true
exit $status
