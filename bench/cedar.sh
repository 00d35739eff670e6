#!/usr/bin/env bash
# Cedar side by side, in one run on identical inputs: Writ.Cedar with policies and entities preloaded,
# Writ.Cedar parsing everything from text/JSON on every call, and @cedar-policy/cedar-wasm (Node) doing
# the same per-call work, then a table of medians, p99s and ratios. Fails if the engines disagree on any
# request's decision, determining policies or erroring policies.
#
# Environment: CALLS (preloaded calls per workload, default 20000), JSON_CALLS (from-JSON calls per app
# workload, default 5000), LARGE_JSON_CALLS (from-JSON calls on the 10,000-policy set, default 300),
# LARGE_PREPARSED_CALLS (cedar-wasm preparsed calls on the 10,000-policy set, default 1000),
# WARMUP (seconds per mode, default 3), WORKLOADS (comma list, default all), SERVER_GC_WORKLOADS (workloads
# timed a second time with DOTNET_gcServer=1, default policies10k, empty for none), CEDAR_BENCH_DIR (where
# inputs and results go), CEDAR_BENCH_ARTIFACTS (the build's artifacts path).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${CEDAR_BENCH_DIR:-${TMPDIR:-/tmp}/writ-cedar-bench/inputs}"
artifacts="${CEDAR_BENCH_ARTIFACTS:-${TMPDIR:-/tmp}/writ-cedar-bench/artifacts}"
calls="${CALLS:-20000}"
json_calls="${JSON_CALLS:-5000}"
large_json_calls="${LARGE_JSON_CALLS:-300}"
large_preparsed_calls="${LARGE_PREPARSED_CALLS:-1000}"
warmup="${WARMUP:-3}"
workloads="${WORKLOADS:-gdrive,github,tinytodo,policies10k}"

command -v node >/dev/null || { echo "cedar.sh needs node (20 or later) on PATH" >&2; exit 2; }

echo "== npm ci (bench/cedar-wasm)"
(cd "$here/cedar-wasm" && npm ci --no-audit --no-fund --loglevel=error)

echo "== dotnet build -c Release bench/Writ.Bench"
dotnet build "$here/Writ.Bench" -c Release --artifacts-path "$artifacts" -nologo -v quiet
bench="$artifacts/bin/Writ.Bench/release/Writ.Bench"

echo "== inputs -> $work"
rm -rf "$work"
mkdir -p "$work"
"$bench" cedar gen "$work" --workloads "$workloads"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), dotnet $(dotnet --version), node $(node --version)"
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Workload by workload, both engines back to back, so a change in the machine's load during the run
# touches both sides of a ratio alike.
server_gc=",${SERVER_GC_WORKLOADS-policies10k},"
for w in ${workloads//,/ }; do
  echo "== $w: Writ.Cedar (preloaded, then from JSON per call); load $(cut -d' ' -f1 /proc/loadavg)"
  "$bench" cedar run "$work" --workloads "$w" --calls "$calls" --json-calls "$json_calls" \
    --large-json-calls "$large_json_calls" --warmup "$warmup"
  if [[ "$server_gc" == *",$w,"* ]]; then
    echo "== $w: Writ.Cedar again under the server garbage collector"
    DOTNET_gcServer=1 "$bench" cedar run "$work" --workloads "$w" --calls "$calls" --json-calls "$json_calls" \
      --large-json-calls "$large_json_calls" --warmup "$warmup"
  fi
  echo "== $w: cedar-wasm (from JSON per call, then with the policy set preparsed); load $(cut -d' ' -f1 /proc/loadavg)"
  node "$here/cedar-wasm/bench.js" "$work" --workloads "$w" --calls "$calls" --json-calls "$json_calls" \
    --large-json-calls "$large_json_calls" --large-preparsed-calls "$large_preparsed_calls" --warmup "$warmup"
done

echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$bench" cedar report "$work" --workloads "$workloads"
