#!/usr/bin/env bash
# Load run: lease issuance end to end over HTTP on loopback against `writ dev` (SQLite): an agent's task token is
# exchanged for a downstream access token (RFC 8693 + RFC 8707 resource) at /oauth2/token, so every answer is one
# access_token lease: task checks, ES256 signature, the lease row and the durable lease.issued audit record.
# The request is built once before timing; wrk sends it over and over.
# Usage: [WRIT_BENCH_PORT=7694] [WRIT_BENCH_ARTIFACTS=dir] bench/load/lease-issuance.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-32}
threads=1            # wrk threads; the server gets the rest of the machine
port=${WRIT_BENCH_PORT:-7694}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { echo "needs jq" >&2; exit 1; }

artifacts=${WRIT_BENCH_ARTIFACTS:-/tmp/writ-bench-artifacts}
dotnet build src/Writ.Cli -c Release --nologo -v quiet --artifacts-path "$artifacts"
writ="dotnet $artifacts/bin/Writ.Cli/release/writ.dll"

url="http://127.0.0.1:$port"
Logging__LogLevel__Default=Warning $writ dev --urls "$url" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done
token=$(cat "$work/data/admin-token")
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
issuer=$(curl -sf "$url/.well-known/oauth-authorization-server" | jq -r .issuer)
resource="https://orders.bench.test/api"

curl -sf "${auth[@]}" "$url/admin/v1/owners" -d '{"name":"bench"}' >/dev/null
curl -sf "${auth[@]}" "$url/admin/v1/agents" -d '{"name":"bot","owner":"bench"}' >/dev/null
policies='@id(\"start\")\npermit (principal, action == Writ::Action::\"StartTask\", resource);'
curl -sf "${auth[@]}" "$url/admin/v1/policy-sets" -d "{\"files\":[{\"name\":\"bench.cedar\",\"text\":\"$policies\"}],\"activate\":true}" >/dev/null
join=$(curl -sf "${auth[@]}" "$url/admin/v1/join-tokens" -d '{"agent":"bot"}' | jq -r .token)
identity=$(curl -sf "$url/oauth2/token" -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \
  -d subject_token_type=urn:writ:params:oauth:token-type:join-token -d subject_token="$join" \
  --data-urlencode audience="$issuer" | jq -r .access_token)
details="[{\"type\":\"writ_task\",\"purpose\":\"lease issuance bench\",\"tools\":[{\"tool\":\"orders.list\",\"targets\":[\"$resource\"]}],\"sensitivity\":\"internal\",\"max_duration\":\"PT15M\"}]"
task=$(curl -sf "$url/oauth2/token" -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \
  -d subject_token_type=urn:ietf:params:oauth:token-type:jwt -d subject_token="$identity" \
  -d audience=https://gateway.bench.test --data-urlencode authorization_details="$details")
task_token=$(jq -r .access_token <<<"$task")
task_id=$(jq -r .task_id <<<"$task")
[ "$task_token" != null ] || { echo "the task was not started: $task" >&2; exit 1; }

body="grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token_type=urn%3Awrit%3Aparams%3Aoauth%3Atoken-type%3Atask-token&subject_token=$task_token&resource=$(jq -rn --arg r "$resource" '$r|@uri')"
answer=$(curl -sf "$url/oauth2/token" -H "Content-Type: application/x-www-form-urlencoded" -d "$body")
grep -q '"access_token"' <<<"$answer" || { echo "the exchange is refused: $answer" >&2; exit 1; }

echo "==> warm-up (5 s), then ${seconds}s of lease issuance with $connections connections"
WRIT_EXCHANGE_BODY="$body" wrk -t$threads -c"$connections" -d5s -s bench/load/lease-issuance.lua "$url" >/dev/null
out=$(WRIT_EXCHANGE_BODY="$body" wrk -t$threads -c"$connections" -d"${seconds}s" -s bench/load/lease-issuance.lua "$url")
echo "$out"
read -r n bad us <<<"$(sed -n 's/^requests=\([0-9]*\) non2xx=\([0-9]*\) duration_us=\([0-9]*\)$/\1 \2 \3/p' <<<"$out")"
rate=$(awk -v n="$n" -v b="$bad" -v us="$us" 'BEGIN { printf "%.0f", (n - b) / (us / 1e6) }')
leases=$(curl -sf "${auth[@]}" "$url/admin/v1/leases?task=$task_id&limit=1000" | jq '.items | length')
echo "leases_per_s=$rate non2xx=$bad (the task holds at least $leases leases; the listing stops at 1000)"
echo "wrk_threads=$threads connections=$connections cores=$(nproc) $(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/loadavg=/; s/ /,/g')"
