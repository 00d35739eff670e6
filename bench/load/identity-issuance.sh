#!/usr/bin/env bash
# Load run: identity-token issuance over HTTP on loopback (registered-key path), next to the
# machine's own ES256 verify+sign ceiling on both cores, measured in the same run.
# Usage: bench/load/identity-issuance.sh [seconds] [connections]
# WRIT_BENCH_PERF=<file>: also record a CPU profile of the server during the measured run with
# `perf record -g` (JIT symbols from a perf map written next to it), for `perf report -i <file>`.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-64}
threads=1            # wrk threads; the server gets the rest of the machine
port=7690
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# Own artifacts path, so the run neither uses nor disturbs other builds' output.
artifacts=${WRIT_BENCH_ARTIFACTS:-/tmp/writ-bench-artifacts}
dotnet build src/Writ.Cli -c Release --nologo -v quiet --artifacts-path "$artifacts"
dotnet build bench/Writ.Bench -c Release --nologo -v quiet --artifacts-path "$artifacts"
writ="dotnet $artifacts/bin/Writ.Cli/release/writ.dll"
bench="dotnet $artifacts/bin/Writ.Bench/release/Writ.Bench.dll"

url="http://127.0.0.1:$port"
# Runtime defaults (workstation concurrent GC, tiered PGO) unless the caller sets DOTNET_* variables.
profile=${WRIT_BENCH_PERF:-}
[ -z "$profile" ] || command -v perf >/dev/null || { echo "WRIT_BENCH_PERF needs perf (linux-perf)" >&2; exit 1; }
profiling=()
# A perf map names JIT-compiled methods; W^X double mapping would hide them from perf.
[ -n "$profile" ] && profiling=(env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
Logging__LogLevel__Default=Warning "${profiling[@]}" $writ dev --urls "$url" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done
token=$(cat "$work/data/admin-token")
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
spiffe="spiffe://writ.local/agent/bench"

curl -sf "${auth[@]}" "$url/admin/v1/owners" -d '{"name":"bench"}' >/dev/null
warm=100000                      # more than 5 s can use (about 10k/s at best here)
count=$(( warm + seconds * 25000 ))  # more than the run can use, so no assertion repeats
$bench assertions "$spiffe" "$url/oauth2/token" "$count" "$work/agent.jwk" "$work/assertions.txt"
curl -sf "${auth[@]}" "$url/admin/v1/agents" \
  -d "{\"name\":\"bench\",\"owner\":\"bench\",\"attestationMethods\":[\"registered_key\"],\"publicKeys\":[$(cat "$work/agent.jwk")]}" >/dev/null

echo "==> ES256 verify+sign ceiling on $(nproc) cores (10 s)"
ceiling=$($bench ceiling "$(nproc)" 10)
echo "ceiling_per_s=$ceiling"

echo "==> warm-up (5 s), then ${seconds}s of issuance with $connections connections"
head -n $warm "$work/assertions.txt" > "$work/warm.txt"
WRIT_ASSERTIONS="$work/warm.txt" WRIT_THREADS=$threads WRIT_AUDIENCE=bench \
  wrk -t$threads -c"$connections" -d5s -s bench/load/issuance.lua "$url" >/dev/null
tail -n +$(( warm + 1 )) "$work/assertions.txt" > "$work/rest.txt"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
server_before=$(cpu_ticks "$server")
if [ -n "$profile" ]; then
  perf record -F 499 -g -p "$server" -o "$profile" -- sleep $(( seconds - 1 )) >/dev/null 2>&1 &
  perf_pid=$!
fi
out=$(WRIT_ASSERTIONS="$work/rest.txt" WRIT_THREADS=$threads WRIT_AUDIENCE=bench \
  /usr/bin/time -f "wrk_cpu_s=%U+%S" -o "$work/wrk.time" \
  wrk -t$threads -c"$connections" -d"${seconds}s" -s bench/load/issuance.lua "$url")
server_after=$(cpu_ticks "$server")
if [ -n "$profile" ]; then
  wait "$perf_pid" || true
  cp "/tmp/perf-$server.map" "$profile.map"
  echo "profile=$profile (perf report -i $profile; JIT symbols in /tmp/perf-$server.map, a copy in $profile.map)"
fi
echo "$out"
# Where the 2 cores went during the measured run: the server, and the load tool sharing them.
echo "server_cpu_s=$(awk -v a="$server_before" -v b="$server_after" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) / hz }') $(cat "$work/wrk.time") wall_s=$seconds"
requests=$(sed -n 's/^requests=\([0-9]*\) non2xx=\([0-9]*\) duration_us=\([0-9]*\)$/\1 \2 \3/p' <<<"$out")
read -r n bad us <<<"$requests"
rate=$(awk -v n="$n" -v b="$bad" -v us="$us" 'BEGIN { printf "%.0f", (n - b) / (us / 1e6) }')
echo "issued_per_s=$rate non2xx=$bad"
echo "wrk_threads=$threads connections=$connections cores=$(nproc) $(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/loadavg=/; s/ /,/g')"
awk -v r="$rate" -v c="$ceiling" 'BEGIN { printf "ratio_to_ceiling=%.2f\n", r / c }'
