#!/usr/bin/env bash
# One idempotent set-up for everything the harness needs on this machine. Both README commands
# (`npm run replay`, `npm test`) call it first. Safe to run again: each step checks before acting
# and prints one line: done / already there / failed with the reason.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
CACHE=${HARNESS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/incident-harness}
LOGS="$CACHE/logs"
mkdir -p "$LOGS"

version_of() { node -p "require('$ROOT/harness/platform/versions.json').$1"; }
K6_VERSION=$(version_of k6)
TOXIPROXY_VERSION=$(version_of toxiproxy)
read -r -a DEBIAN_PACKAGES <<<"$(node -p "require('$ROOT/harness/platform/versions.json').debianPackages.join(' ')")"
K6_DIR="$CACHE/tools/k6-$K6_VERSION"
TOXIPROXY_DIR="$CACHE/tools/toxiproxy-$TOXIPROXY_VERSION"

failed=0
step_start=0
begin() { step_start=$(date +%s.%N); }
elapsed() { awk -v a="$step_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }
ok() { printf '✔ %-22s %s (%s)\n' "$1" "$2" "$(elapsed)"; }
fail() { printf '✘ %-22s failed: %s\n' "$1" "$2"; failed=1; }
is_root() { [ "$(id -u)" = 0 ]; }

# 1. Debian packages.
begin
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  ok "debian packages" "already there: ${DEBIAN_PACKAGES[*]}"
elif ! is_root; then
  fail "debian packages" "missing ${missing[*]}; run as root: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  exit 2
elif { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$LOGS/apt.log" 2>&1; then
  ok "debian packages" "done: installed ${missing[*]}"
else
  fail "debian packages" "apt-get install ${missing[*]} failed, see $LOGS/apt.log"
  exit 2
fi

# 2. Docker engine: no bridge, no iptables; every container uses host networking on loopback.
begin
if timeout 10 docker info >/dev/null 2>&1; then
  ok "docker engine" "already there"
elif [ -n "${DOCKER_HOST:-}" ]; then
  # A local dockerd would not be the engine DOCKER_HOST names: say so instead of starting one.
  fail "docker engine" "no engine answers at DOCKER_HOST=$DOCKER_HOST; start that engine, or unset DOCKER_HOST to use the local one"
  exit 2
elif ! is_root; then
  fail "docker engine" "no engine answers; run as root: sudo dockerd --bridge=none --iptables=false --ip-masq=false"
  exit 2
else
  nohup setsid dockerd --bridge=none --iptables=false --ip-masq=false >>"$LOGS/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do timeout 5 docker info >/dev/null 2>&1 && break; sleep 1; done
  if timeout 10 docker info >/dev/null 2>&1; then
    ok "docker engine" "done: dockerd started, log in $LOGS/dockerd.log"
  else
    fail "docker engine" "dockerd did not answer within 60 s, see $LOGS/dockerd.log"
    exit 2
  fi
fi

# 3. k6, built into a versioned cache outside the checkout so fresh clones reuse it.
# `go install go.k6.io/k6/v2@v2.2.0` needs the module's version list for its deprecation check,
# which the module proxy here does not serve; building from a throwaway module that requires the
# exact version fetches only that version.
begin
if [ -x "$K6_DIR/k6" ] && "$K6_DIR/k6" version 2>/dev/null | grep -q "k6 $K6_VERSION"; then
  ok "k6 $K6_VERSION" "already there: $K6_DIR/k6"
else
  build="$CACHE/build/k6-$K6_VERSION"
  rm -rf "$build" && mkdir -p "$build" "$K6_DIR"
  if (
    cd "$build" && export GOTOOLCHAIN=local GOFLAGS=-mod=mod &&
      go mod init k6build &&
      go mod edit -require="go.k6.io/k6/v2@$K6_VERSION" &&
      printf '//go:build tools\npackage tools\nimport _ "go.k6.io/k6/v2"\n' >tools.go &&
      go mod tidy && go build -o "$K6_DIR/k6" go.k6.io/k6/v2
  ) >"$LOGS/k6-build.log" 2>&1; then
    ok "k6 $K6_VERSION" "done: $K6_DIR/k6"
  else
    fail "k6 $K6_VERSION" "go build failed, see $LOGS/k6-build.log"
  fi
fi

# 4. Toxiproxy server and CLI, renamed from the `server`/`cli` that go install produces.
begin
if [ -x "$TOXIPROXY_DIR/toxiproxy-server" ] && [ -x "$TOXIPROXY_DIR/toxiproxy-cli" ] &&
  go version -m "$TOXIPROXY_DIR/toxiproxy-server" 2>/dev/null | grep -q "toxiproxy/v2.*$TOXIPROXY_VERSION"; then
  ok "toxiproxy $TOXIPROXY_VERSION" "already there: $TOXIPROXY_DIR"
else
  mkdir -p "$TOXIPROXY_DIR"
  if GOTOOLCHAIN=local GOBIN="$TOXIPROXY_DIR" go install \
    "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION" \
    "github.com/Shopify/toxiproxy/v2/cmd/cli@$TOXIPROXY_VERSION" >"$LOGS/toxiproxy-build.log" 2>&1 &&
    mv -f "$TOXIPROXY_DIR/server" "$TOXIPROXY_DIR/toxiproxy-server" &&
    mv -f "$TOXIPROXY_DIR/cli" "$TOXIPROXY_DIR/toxiproxy-cli"; then
    ok "toxiproxy $TOXIPROXY_VERSION" "done: $TOXIPROXY_DIR"
  else
    fail "toxiproxy $TOXIPROXY_VERSION" "go install failed, see $LOGS/toxiproxy-build.log"
  fi
fi

# 4a. The TestRun CRD of k6-operator: the test of `harness export k6-operator` checks the exported
# TestRuns against its schema. Only that one file of the Go module, fetched through the Go module
# proxy (go mod download checks it against the checksum database), into the tool cache: third-party
# text stays out of the checkout. Not needed to run anything, so a refusal does not stop set-up: it
# is written beside the CRD's path, where the test reads it and reports the check as not run.
begin
K6_OPERATOR_VERSION=$(version_of k6Operator)
K6_OPERATOR_CRD="$CACHE/tools/k6-operator-$K6_OPERATOR_VERSION/k6.io_testruns.yaml"
if [ -s "$K6_OPERATOR_CRD" ]; then
  ok "k6-operator CRD" "already there: $K6_OPERATOR_CRD"
elif [ -s "$K6_OPERATOR_CRD.unavailable" ]; then
  # Asked once: a refusal is not asked again on every set-up (remove the note to ask again).
  printf '– %-22s %s (%s)\n' "k6-operator CRD" "not available ($(head -c 300 "$K6_OPERATOR_CRD.unavailable")); the export's CRD test reports itself not run; remove $K6_OPERATOR_CRD.unavailable to ask the proxy again" "$(elapsed)"
else
  mkdir -p "$(dirname "$K6_OPERATOR_CRD")"
  download=$(cd "$(dirname "$K6_OPERATOR_CRD")" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "github.com/grafana/k6-operator@$K6_OPERATOR_VERSION" 2>>"$LOGS/k6-operator-crd.log")
  printf '%s\n' "$download" >>"$LOGS/k6-operator-crd.log"
  module_dir=$(printf '%s' "$download" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{try{const j=JSON.parse(s);console.log(j.Error?"":j.Dir||"")}catch{console.log("")}})')
  refusal=$(printf '%s' "$download" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{try{const e=JSON.parse(s).Error||"";console.log(/\b(403|404|410)\b|not available|not found/i.test(e)?e.replace(/\s+/g," "):"")}catch{console.log("")}})')
  if [ -n "$module_dir" ] && [ -s "$module_dir/config/crd/bases/k6.io_testruns.yaml" ]; then
    cp "$module_dir/config/crd/bases/k6.io_testruns.yaml" "$K6_OPERATOR_CRD.tmp" && mv -f "$K6_OPERATOR_CRD.tmp" "$K6_OPERATOR_CRD"
    rm -f "$K6_OPERATOR_CRD.unavailable"
    ok "k6-operator CRD" "done: $K6_OPERATOR_CRD (github.com/grafana/k6-operator@$K6_OPERATOR_VERSION)"
  elif [ -n "$refusal" ]; then
    printf '%s (%s)\n' "$refusal" "$(date -u +%F)" >"$K6_OPERATOR_CRD.unavailable"
    printf '– %-22s %s (%s)\n' "k6-operator CRD" "not available: the Go module proxy refused github.com/grafana/k6-operator@$K6_OPERATOR_VERSION; the export's CRD test reports itself not run until the CRD is at $K6_OPERATOR_CRD or HARNESS_K6_OPERATOR_CRD names one (kubectl get crd testruns.k6.io -o yaml), see $LOGS/k6-operator-crd.log" "$(elapsed)"
  else
    printf '– %-22s %s (%s)\n' "k6-operator CRD" "not fetched (see $LOGS/k6-operator-crd.log); only the export's CRD test needs it, and fails saying so; run set-up again" "$(elapsed)"
  fi
fi

# 4b. sockudo, the peer server (docs/servers.md): `cargo install` takes 12-15 minutes on 2 cores, so
# it runs in the background at the lowest CPU priority while the rest of set-up and the tests go on;
# what needs it waits for it (harness/servers/sockudo-binary.ts). HARNESS_SKIP_SOCKUDO=1 skips it.
begin
SOCKUDO_VERSION=$(node -p "require('$ROOT/harness/platform/versions.json').sockudo.version")
SOCKUDO_DIR="$CACHE/tools/sockudo-$SOCKUDO_VERSION"
if [ -x "$SOCKUDO_DIR/sockudo" ]; then
  ok "sockudo $SOCKUDO_VERSION" "already there: $SOCKUDO_DIR/sockudo"
elif [ "${HARNESS_SKIP_SOCKUDO:-}" = 1 ]; then
  ok "sockudo $SOCKUDO_VERSION" "skipped (HARNESS_SKIP_SOCKUDO=1): --server sockudo will say how to build it"
elif ! command -v cargo >/dev/null; then
  ok "sockudo $SOCKUDO_VERSION" "not built: cargo is missing (install Rust from https://rustup.rs for --server sockudo)"
else
  mkdir -p "$CACHE/tools"
  # The build holds this lock while it runs: a second set-up does not start another.
  if flock -n "$SOCKUDO_DIR.lock" true 2>/dev/null; then
    echo "building since $(date -u +%FT%TZ): starting" >"$SOCKUDO_DIR.status"
    nohup setsid nice -n 19 bash scripts/build-sockudo.sh >"$LOGS/sockudo-build.log" 2>&1 </dev/null &
    ok "sockudo $SOCKUDO_VERSION" "building in the background (nice 19, 12-15 min), log $LOGS/sockudo-build.log"
  else
    ok "sockudo $SOCKUDO_VERSION" "a build is already running, log $LOGS/sockudo-build.log"
  fi
fi

# 5. npm dependencies, reinstalled only when the lock file changed.
begin
lock_hash=$(sha256sum package-lock.json | cut -c1-64)
if [ -f node_modules/.harness-lock-hash ] && [ "$(cat node_modules/.harness-lock-hash)" = "$lock_hash" ]; then
  ok "npm dependencies" "already there"
elif [ -L node_modules ]; then
  # A linked node_modules (a second worktree sharing another checkout's install): npm ci here would
  # empty the shared directory and install a private copy, breaking every checkout that links to it.
  ok "npm dependencies" "linked to $(readlink node_modules), left as it is (npm ci in the checkout it belongs to)"
elif npm ci --no-audit --no-fund >"$LOGS/npm-ci.log" 2>&1; then
  echo "$lock_hash" >node_modules/.harness-lock-hash
  ok "npm dependencies" "done: npm ci"
else
  fail "npm dependencies" "npm ci failed, see $LOGS/npm-ci.log"
  exit 2
fi

[ "$failed" = 0 ] || { echo "set-up incomplete: fix the ✘ lines above and run it again"; exit 2; }

# 6. The server bundle, run by the local Node image as `node /app/server.mjs` (rebuilt every time: <1 s).
begin
if node -e "process.exit(require('./package.json').scripts['server:build'] ? 0 : 1)"; then
  if npm run --silent server:build >"$LOGS/server-build.log" 2>&1; then
    ok "server bundle" "done: server-under-test/dist/server.mjs"
  else
    fail "server bundle" "npm run server:build failed, see $LOGS/server-build.log"
    exit 2
  fi
fi

# 7. The local FROM-scratch images (each rebuilt only when its inputs change).
export HARNESS_CACHE_DIR="$CACHE"
node harness/cli/bin.js images || exit 2
