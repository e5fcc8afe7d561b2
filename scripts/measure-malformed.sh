#!/usr/bin/env bash
# Time `harness run <fixture>` for every malformed fixture, one at a time: how long a person waits
# for the error. Prints one line per fixture (exit code, seconds) and the min / median / max.
# Usage: bash scripts/measure-malformed.sh [rounds]   (nothing is started; no Docker lock needed)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
times=()
cpus=()
for round in $(seq "$rounds"); do
  for f in harness/scenario/fixtures/malformed/*; do
    case "$(basename "$f")" in _*) continue ;; esac
    extra=()
    [[ "$f" == *duplicate-scenario-id* ]] && extra=(harness/scenario/fixtures/malformed/_base.ts)
    start=$(date +%s%N)
    set +e
    # CPU seconds too: on a busy machine the wall time says more about the neighbours than about us.
    HARNESS_SCENARIO_LOAD_TIMEOUT_S=2 /usr/bin/time -f '%U %S' -o "$out/cpu" node harness/cli/bin.js run "$f" "${extra[@]}" --out "$out/x" >/dev/null 2>&1
    code=$?
    set -e
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    cpu=$(tail -1 "$out/cpu" | awk '{ printf "%d", ($1 + $2) * 1000 }')
    times+=("$ms")
    cpus+=("$cpu")
    printf '%-40s exit %s  %5d ms wall  %5d ms cpu\n' "$(basename "$f")" "$code" "$ms" "$cpu"
  done
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
echo "fixtures×rounds: $n  wall: min ${sorted[0]} ms  median ${sorted[$((n / 2))]} ms  max ${sorted[$((n - 1))]} ms  (never-settles waits its 2 s deadline)"
sorted=($(printf '%s\n' "${cpus[@]}" | sort -n))
echo "cpu (user+sys): min ${sorted[0]} ms  median ${sorted[$((n / 2))]} ms  max ${sorted[$((n - 1))]} ms"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
