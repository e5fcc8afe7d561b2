#!/usr/bin/env bash
# Builds sockudo, the peer server of docs/servers.md, into the versioned tool cache:
# `cargo install` at the version and features of harness/platform/versions.json (the Redis adapter,
# so several pods share channels). About 12-15 minutes on 2 cores; set-up runs it in the background
# at the lowest CPU priority. Progress and the outcome go to <tool dir>.status, which
# harness/servers/sockudo-binary.ts reads to wait for the build or to report why it failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CACHE=${HARNESS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/incident-harness}
VERSION=$(node -p "require('$ROOT/harness/platform/versions.json').sockudo.version")
FEATURES=$(node -p "require('$ROOT/harness/platform/versions.json').sockudo.features.join(',')")
DIR="$CACHE/tools/sockudo-$VERSION"
STATUS="$DIR.status"
mkdir -p "$CACHE/tools" "$CACHE/build"

# Set-up starts this build under setsid: a session of its own, and so an autogroup of its own. The
# kernel shares CPU fairly between autogroups whatever the nice values inside them, so `nice -n 19`
# alone left the build half the machine while the tests ran. Lowering the group's own priority makes
# it take only what the tests leave idle (sched(7), "The autogroup feature"). Only as a session leader:
# run in a terminal, the group would be the user's shell.
if [ "$(awk '{print $6}' /proc/$$/stat 2>/dev/null)" = "$$" ] && [ -w /proc/self/autogroup ]; then
  echo 19 >/proc/self/autogroup 2>/dev/null && echo "autogroup nice 19: $(cat /proc/self/autogroup)"
fi

if [ -x "$DIR/sockudo" ]; then echo "sockudo $VERSION already there: $DIR/sockudo"; exit 0; fi
# One build at a time per version: a second caller waits for the first instead of building again.
exec 9>"$DIR.lock"
flock 9
if [ -x "$DIR/sockudo" ]; then echo "sockudo $VERSION already there: $DIR/sockudo"; exit 0; fi

if ! command -v cargo >/dev/null; then
  echo "failed: cargo is not installed; install Rust (https://rustup.rs) and run npm run setup again" >"$STATUS"
  cat "$STATUS"; exit 2
fi
if ! command -v protoc >/dev/null; then
  echo "failed: protoc is missing (sockudo's build runs it); run as root: apt-get install -y protobuf-compiler" >"$STATUS"
  cat "$STATUS"; exit 2
fi
echo "building since $(date -u +%FT%TZ) (pid $$): cargo install sockudo --version $VERSION --features $FEATURES" >"$STATUS"
build="$CACHE/build/sockudo-$VERSION"
rm -rf "$build"
if cargo install sockudo --locked --version "$VERSION" --features "$FEATURES" --root "$build"; then
  mkdir -p "$DIR" && mv -f "$build/bin/sockudo" "$DIR/sockudo" && rm -rf "$build"
  echo "done $(date -u +%FT%TZ): $DIR/sockudo" >"$STATUS"
  cat "$STATUS"
else
  echo "failed: cargo install sockudo $VERSION exited non-zero, see the build log" >"$STATUS"
  cat "$STATUS"; exit 1
fi
