#!/usr/bin/env bash
# Load run: AuthZEN POST /access/v1/evaluation over loopback HTTP against `writ dev` (Writ's own policy set, an
# agent read through the decision status cache, bearer admin token, decision recorded in the audit log), next to a trivial Kestrel
# endpoint answering the same path with a constant decision; same tool, same connections, same machine, one run.
# Rounds alternate baseline and Writ so drift in the machine's load hits both; the ratio is the median of the rounds.
# Usage: [WRIT_BENCH_PORT=7690] [WRIT_BENCH_ARTIFACTS=dir] bench/load/authzen-evaluation.sh [seconds-per-round] [connections] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-64}
rounds=${3:-5}
threads=1            # wrk threads; the servers get the rest of the machine
port=${WRIT_BENCH_PORT:-7690}   # another run on the machine can take other ports
trivial_port=$((port + 1))
work=$(mktemp -d)
trap 'kill $server $trivial 2>/dev/null || true; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

artifacts=${WRIT_BENCH_ARTIFACTS:-/tmp/writ-bench-artifacts}
dotnet build src/Writ.Cli -c Release --nologo -v quiet --artifacts-path "$artifacts"
dotnet build bench/load/authzen-trivial-pdp.cs -c Release --nologo -v quiet
writ="dotnet $artifacts/bin/Writ.Cli/release/writ.dll"

url="http://127.0.0.1:$port"
trivial_url="http://127.0.0.1:$trivial_port"
Logging__LogLevel__Default=Warning $writ dev --urls "$url" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
dotnet run -c Release --no-build bench/load/authzen-trivial-pdp.cs -- "$trivial_url" >"$work/trivial.log" 2>&1 &
trivial=$!
for _ in $(seq 1 150); do curl -sf "$url/healthz" >/dev/null && curl -sf "$trivial_url/healthz" >/dev/null && break; sleep 0.2; done
token=$(cat "$work/data/admin-token")
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")

curl -sf "${auth[@]}" "$url/admin/v1/owners" -d '{"name":"bench"}' >/dev/null
curl -sf "${auth[@]}" "$url/admin/v1/agents" -d '{"name":"bot","owner":"bench"}' >/dev/null
policies='@id(\"github\")\npermit (principal, action == Writ::Action::\"CallTool\", resource in Writ::Toolset::\"github\");\n@id(\"owner\")\nforbid (principal, action, resource) unless { principal in Writ::Owner::\"bench\" };\n@id(\"active\")\nforbid (principal, action, resource) when { principal.status != \"active\" };'
curl -sf "${auth[@]}" "$url/admin/v1/policy-sets" -d "{\"files\":[{\"name\":\"bench.cedar\",\"text\":\"$policies\"}]}" >/dev/null
body='{"subject":{"type":"Agent","id":"bot"},"action":{"name":"CallTool"},"resource":{"type":"Tool","id":"github.search_issues"}}'
answer=$(curl -sf "${auth[@]}" "$url/access/v1/evaluation" -d "$body")
echo "writ answers: $answer"
grep -q '"decision":true' <<<"$answer" || { echo "the benchmark request is not allowed; check the policy set" >&2; exit 1; }

run() { # run <label> <url> <token> <seconds>
  WRIT_TOKEN="$3" WRIT_BODY="$body" wrk -t$threads -c"$connections" -d"$4s" -s bench/load/authzen-evaluation.lua "$2" \
    | sed -n "s/^requests=\([0-9]*\) non2xx=\([0-9]*\) duration_us=\([0-9]*\) p50_us=\([0-9]*\) p99_us=\([0-9]*\)$/$1 \1 \2 \3 \4 \5/p"
}
rate() { awk '{ printf "%.0f", ($2 - $3) / ($4 / 1e6) }' <<<"$1"; }

echo "==> warm-up 5 s each"
run trivial "$trivial_url" "" 5 >/dev/null
run writ "$url" "$token" 5 >/dev/null

echo "==> $rounds rounds of ${seconds}s each, $connections connections, wrk -t$threads"
ratios=()
for r in $(seq 1 "$rounds"); do
  t=$(run trivial "$trivial_url" "" "$seconds")
  w=$(run writ "$url" "$token" "$seconds")
  tr=$(rate "$t"); wr=$(rate "$w")
  ratio=$(awk -v w="$wr" -v t="$tr" 'BEGIN { printf "%.2f", w / t }')
  ratios+=("$ratio")
  read -r _ _ tbad _ tp50 tp99 <<<"$t"; read -r _ _ wbad _ wp50 wp99 <<<"$w"
  echo "round=$r trivial_per_s=$tr (non2xx=$tbad p50_us=$tp50 p99_us=$tp99) writ_per_s=$wr (non2xx=$wbad p50_us=$wp50 p99_us=$wp99) ratio=$ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
echo "median_ratio=$median target=0.50"
echo "wrk_threads=$threads connections=$connections cores=$(nproc) $(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/loadavg=/; s/ /,/g')"
# Why any request failed, as the server logged it (e.g. the audit queue refusing records: the PDP fails closed).
grep -ho 'AuditUnavailableException: [^.]*' "$work/server.log" | sort | uniq -c | sed 's/^ */server_refusals: /' || true
