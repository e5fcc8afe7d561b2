#!/usr/bin/env bash
# The README's test command (`npm test`): set-up, then every test. Everything the tests start is
# labelled with this session's id and removed on the way out, also after Ctrl-C or a failure.
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
npx vitest run "$@"
