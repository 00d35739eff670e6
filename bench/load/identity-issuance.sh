#!/usr/bin/env bash
# Load run: identity-token issuance over HTTP on loopback (registered-key path), next to the
# machine's own ES256 verify+sign ceiling on both cores and to the bare HTTP floor
# (bench/load/issuance-floor.cs: Kestrel, the form, one verify, one sign, nothing else), all
# measured in the same run with the same wrk, connections and assertion file.
# Usage: bench/load/identity-issuance.sh [seconds] [connections] [rounds]
# rounds (default 1): floor and writ runs alternate, floor first in odd rounds and writ first in
# even ones; the summary lines give medians over the rounds.
# WRIT_BENCH_PERF=<file>: also record a CPU profile of the server during its first measured run with
# `perf record -g` (JIT symbols from a perf map written next to it), for `perf report -i <file>`.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-64}
rounds=${3:-1}
threads=1            # wrk threads; the server gets the rest of the machine
port=7690
floor_port=7691
work=$(mktemp -d)
server=; floor=
trap 'kill $server $floor 2>/dev/null || true; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# Own artifacts path, so the run neither uses nor disturbs other builds' output.
artifacts=${WRIT_BENCH_ARTIFACTS:-/tmp/writ-bench-artifacts}
dotnet build src/Writ.Cli -c Release --nologo -v quiet --artifacts-path "$artifacts"
dotnet build bench/Writ.Bench -c Release --nologo -v quiet --artifacts-path "$artifacts"
dotnet build bench/load/issuance-floor.cs -c Release --nologo -v quiet -o "$artifacts/bin/issuance-floor"
writ="dotnet $artifacts/bin/Writ.Cli/release/writ.dll"
bench="dotnet $artifacts/bin/Writ.Bench/release/Writ.Bench.dll"

url="http://127.0.0.1:$port"
floor_url="http://127.0.0.1:$floor_port"
# Runtime defaults (workstation concurrent GC, tiered PGO) unless the caller sets DOTNET_* variables;
# the floor is built with workstation GC too (see its header).
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
per_round=$(( seconds * 30000 )) # more than a run can use (the floor included), so writ never sees a jti twice
count=$(( warm + rounds * per_round ))
$bench assertions "$spiffe" "$url/oauth2/token" "$count" "$work/agent.jwk" "$work/assertions.txt"
curl -sf "${auth[@]}" "$url/admin/v1/agents" \
  -d "{\"name\":\"bench\",\"owner\":\"bench\",\"attestationMethods\":[\"registered_key\"],\"publicKeys\":[$(cat "$work/agent.jwk")]}" >/dev/null

dotnet "$artifacts/bin/issuance-floor/issuance-floor.dll" "$floor_url" "$work/agent.jwk" >"$work/floor.log" 2>&1 &
floor=$!
for _ in $(seq 1 100); do curl -sf "$floor_url/healthz" >/dev/null && break; sleep 0.2; done

echo "==> ES256 verify+sign ceiling on $(nproc) cores (10 s)"
ceiling=$($bench ceiling "$(nproc)" 10)
echo "ceiling_per_s=$ceiling"

load() { # load <url> <assertions> <seconds>: one wrk run with the issuance script
  WRIT_ASSERTIONS="$2" WRIT_THREADS=$threads WRIT_AUDIENCE=bench \
    wrk -t$threads -c"$connections" -d"$3" -s bench/load/issuance.lua "$1"
}
echo "==> warm-up (5 s each: floor, writ), then $rounds round(s) of ${seconds}s of issuance with $connections connections"
head -n $warm "$work/assertions.txt" > "$work/warm.txt"
load "$floor_url" "$work/warm.txt" 5s >/dev/null
load "$url" "$work/warm.txt" 5s >/dev/null

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
loadavg() { cut -d' ' -f1-3 /proc/loadavg | sed 's/^/loadavg=/; s/ /,/g'; }
measure() { # measure <floor|writ> <round> <assertions>: appends "name per_s non2xx cpu_us_per_issuance" to $work/results
  local name=$1 pid=$floor target=$floor_url
  [ "$name" = writ ] && { pid=$server; target=$url; }
  local before after out n bad us rate cpu
  before=$(cpu_ticks "$pid")
  if [ "$name" = writ ] && [ -n "$profile" ] && [ ! -e "$work/profiled" ]; then
    touch "$work/profiled"
    perf record -F 499 -g -p "$server" -o "$profile" -- sleep $(( seconds - 1 )) >/dev/null 2>&1 &
    perf_pid=$!
  fi
  out=$(WRIT_ASSERTIONS="$3" WRIT_THREADS=$threads WRIT_AUDIENCE=bench \
    /usr/bin/time -f "wrk_cpu_s=%U+%S" -o "$work/wrk.time" \
    wrk -t$threads -c"$connections" -d"${seconds}s" -s bench/load/issuance.lua "$target")
  after=$(cpu_ticks "$pid")
  if [ -n "${perf_pid:-}" ]; then
    wait "$perf_pid" || true
    perf_pid=
    cp "/tmp/perf-$server.map" "$profile.map"
    echo "profile=$profile (perf report -i $profile; JIT symbols in /tmp/perf-$server.map, a copy in $profile.map)"
  fi
  read -r n bad us <<<"$(sed -n 's/^requests=\([0-9]*\) non2xx=\([0-9]*\) duration_us=\([0-9]*\)$/\1 \2 \3/p' <<<"$out")"
  rate=$(awk -v n="$n" -v b="$bad" -v us="$us" 'BEGIN { printf "%.0f", (n - b) / (us / 1e6) }')
  cpu=$(awk -v a="$before" -v b="$after" -v hz="$hz" -v n="$n" -v bad="$bad" 'BEGIN { printf "%.0f", (b - a) / hz / (n - bad) * 1e6 }')
  echo "--> round $2: $name"
  if [ "$name" = writ ]; then
    echo "$out"
    # Where the 2 cores went during the measured run: the server, and the load tool sharing them.
    echo "server_cpu_s=$(awk -v a="$before" -v b="$after" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) / hz }') $(cat "$work/wrk.time") wall_s=$seconds"
    echo "issued_per_s=$rate non2xx=$bad"
  else
    echo "$(grep '^latency' <<<"$out") floor_server_cpu_s=$(awk -v a="$before" -v b="$after" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) / hz }') $(cat "$work/wrk.time")"
    echo "floor_per_s=$rate floor_non2xx=$bad"
  fi
  echo "${name}_cpu_us_per_issuance=$cpu $(loadavg)"
  echo "$name $rate $bad $cpu" >> "$work/results"
}
for round in $(seq 1 "$rounds"); do
  first=$(( warm + (round - 1) * per_round + 1 ))
  sed -n "${first},$(( first + per_round - 1 ))p" "$work/assertions.txt" > "$work/round.txt"
  # The floor keeps no jti, so both servers can take the same slice.
  if (( round % 2 == 1 )); then order="floor writ"; else order="writ floor"; fi
  for name in $order; do measure "$name" "$round" "$work/round.txt"; done
done

median() { # median <name> <column>
  awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$work/results" | sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
floor_rate=$(median floor 2); rate=$(median writ 2)
floor_cpu=$(median floor 4); writ_cpu=$(median writ 4)
echo "==> summary (medians over $rounds round(s))"
echo "ceiling_per_s=$ceiling floor_per_s=$floor_rate issued_per_s=$rate"
echo "floor_cpu_us_per_issuance=$floor_cpu writ_cpu_us_per_issuance=$writ_cpu"
echo "wrk_threads=$threads connections=$connections cores=$(nproc) $(loadavg)"
awk -v r="$rate" -v f="$floor_rate" -v c="$ceiling" 'BEGIN { printf "floor_ratio_to_ceiling=%.2f writ_to_floor=%.2f\nratio_to_ceiling=%.2f\n", f / c, r / f, r / c }'
