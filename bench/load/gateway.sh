#!/usr/bin/env bash
# The gateway hop on loopback, in one run: a minimal MCP-over-HTTP upstream (gateway-upstream.cs) called
#   direct  — straight at the upstream,
#   gateway — through `writ gateway` (task token verified offline, revocation set consulted, the call decided
#             against the task's intent and the Cedar policies, decision and outcome audited in the default
#             (queued) mode, the agent's token removed and the upstream credential injected), and
#   nginx   — through nginx as a plain reverse proxy (keep-alive to the upstream, no access log), and
#   yarp    — for reference, through the bare stack the gateway is built on (Kestrel + YARP, gateway-yarp-floor.cs)
#             doing none of Writ's work.
# Throughput at max load with wrk (rounds alternate the three), then latency at a fixed rate with an open-loop
# generator (gateway-rate.cs; wrk2 is not in Debian). Targets (issue 8): gateway throughput >= 80% of nginx's;
# added latency over direct <= 1.5x nginx's at the median and <= 2x at p99, at 1,000 calls/s.
# Usage: bench/load/gateway.sh [seconds-per-round] [rounds] [connections] [calls-per-second]
# WRIT_BENCH_INLINE=1: the bare YARP row handles requests on Kestrel's I/O threads (an experiment; see gateway-yarp-floor.cs).
# CREDENTIAL=token-exchange (default: a downstream RFC 9068 token, exchanged once per task token and cached)
#           | connection (a brokered static secret: one lease per task, each use counted)
#           | none (nothing injected)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
rounds=${2:-3}
connections=${3:-64}
rate=${4:-1000}
credential=${CREDENTIAL:-token-exchange}
threads=1            # wrk threads; the proxies and the upstream get the rest of the machine
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done; echo "$1 did not come up" >&2; exit 1; }

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

artifacts=${WRIT_BENCH_ARTIFACTS:-/tmp/writ-bench-artifacts}
dotnet build src/Writ.Cli -c Release --nologo -v quiet --artifacts-path "$artifacts"
dotnet build bench/load/gateway-upstream.cs -c Release --nologo -v quiet
dotnet build bench/load/gateway-rate.cs -c Release --nologo -v quiet
dotnet build bench/load/gateway-yarp-floor.cs -c Release --nologo -v quiet
writ="dotnet $artifacts/bin/Writ.Cli/release/writ.dll"

writ_port=$(free_port); upstream_port=$(free_port); gateway_port=$(free_port); nginx_port=$(free_port); yarp_port=$(free_port)
writ_url="http://127.0.0.1:$writ_port"
upstream="http://127.0.0.1:$upstream_port"
resource="https://api.github.bench.test"
secret="bench-upstream-secret-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

echo "==> writ dev, the upstream, nginx and the bare YARP forwarder"
Logging__LogLevel__Default=Warning $writ dev --urls "$writ_url" --data "$work/data" >"$work/writ.log" 2>&1 &
pids+=($!)
dotnet run -c Release --no-build bench/load/gateway-upstream.cs -- "$upstream" >"$work/upstream.log" 2>&1 &
pids+=($!)
mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
chmod -R a+rwx "$work/nginx"
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  upstream mcp { server 127.0.0.1:$upstream_port; keepalive 256; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
dotnet run -c Release --no-build bench/load/gateway-yarp-floor.cs -- "http://127.0.0.1:$yarp_port" "$upstream" >"$work/yarp.log" 2>&1 &
pids+=($!)
wait_for "$writ_url/healthz"
wait_for "$upstream/healthz"
wait_for "http://127.0.0.1:$nginx_port/healthz"
wait_for "http://127.0.0.1:$yarp_port/healthz"
admin=$(cat "$work/data/admin-token")
api() { curl -sf -H "Authorization: Bearer $admin" -H "Content-Type: application/json" "$writ_url/admin/v1/$1" -d "$2"; }

api owners '{"name":"bench"}' >/dev/null
api agents '{"name":"bot","owner":"bench"}' >/dev/null
policies='@id(\"start\")\npermit (principal, action == Writ::Action::\"StartTask\", resource);\n@id(\"github\")\npermit (principal, action == Writ::Action::\"CallTool\", resource in Writ::Toolset::\"github\");\n@id(\"owner\")\nforbid (principal, action, resource) unless { principal in Writ::Owner::\"bench\" };\n@id(\"active\")\nforbid (principal, action, resource) when { principal.status != \"active\" };'
api policy-sets "{\"files\":[{\"name\":\"bench.cedar\",\"text\":\"$policies\"}],\"activate\":true}" >/dev/null
api connections "{\"name\":\"github-token\",\"owner\":\"bench\",\"kind\":\"static_secret\",\"secret\":\"$secret\",\"headerName\":\"Authorization\",\"scheme\":\"Bearer\"}" >/dev/null

case "$credential" in
  token-exchange) credential_json="{\"kind\":\"token-exchange\",\"resource\":\"$resource\"}" ;;
  connection) credential_json='{"kind":"connection","connection":"github-token"}' ;;
  none) credential_json='{"kind":"none"}' ;;
  *) echo "CREDENTIAL must be token-exchange, connection or none" >&2; exit 2 ;;
esac
cat >"$work/gateway.json" <<JSON
{
  "writ": { "issuer": "$writ_url", "trustDomain": "writ.local", "tokenFile": "$work/data/admin-token" },
  "audience": "https://gateway.bench.test",
  "urls": ["http://127.0.0.1:$gateway_port"],
  "storage": { "provider": "sqlite", "dataDirectory": "$work/data" },
  "routes": [
    { "path": "/mcp/github", "kind": "mcp", "url": "$upstream/mcp", "toolset": "github",
      "credential": $credential_json,
      "target": { "argument": "repository", "prefix": "repo:" } }
  ]
}
JSON
echo "==> writ gateway (credential: $credential)"
Logging__LogLevel__Default=Warning $writ gateway --config "$work/gateway.json" >"$work/gateway.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$gateway_port/healthz"

# A task for the gateway's audience: join token -> identity token -> task token with the declared intent.
task_token() {
  local join identity intent
  join=$(api join-tokens '{"agent":"bot"}' | jq -r .token)
  identity=$(curl -sf "$writ_url/oauth2/token" --data-urlencode "grant_type=urn:ietf:params:oauth:grant-type:token-exchange" \
    --data-urlencode "subject_token=$join" --data-urlencode "subject_token_type=urn:writ:params:oauth:token-type:join-token" \
    --data-urlencode "audience=$writ_url" | jq -r .access_token)
  intent="[{\"type\":\"writ_task\",\"purpose\":\"triage\",\"tools\":[{\"tool\":\"github.search_issues\",\"targets\":[\"repo:acme/web\",\"$resource\"]}],\"sensitivity\":\"internal\",\"max_duration\":\"PT15M\"}]"
  curl -sf "$writ_url/oauth2/token" --data-urlencode "grant_type=urn:ietf:params:oauth:grant-type:token-exchange" \
    --data-urlencode "subject_token=$identity" --data-urlencode "subject_token_type=urn:ietf:params:oauth:token-type:jwt" \
    --data-urlencode "audience=https://gateway.bench.test" --data-urlencode "authorization_details=$intent" | jq -r .access_token
}
token=$(task_token)
[ -n "$token" ] && [ "$token" != null ] || { echo "could not start a task; see $work/writ.log" >&2; exit 1; }
body='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_issues","arguments":{"repository":"acme/web","query":"is:open label:bug"}}}'

direct_url="$upstream/mcp"
gateway_url="http://127.0.0.1:$gateway_port/mcp/github"
nginx_url="http://127.0.0.1:$nginx_port/mcp"
yarp_url="http://127.0.0.1:$yarp_port/mcp"
for target in "$direct_url" "$nginx_url" "$yarp_url" "$gateway_url"; do   # the gateway last: its call is the one checked below
  answer=$(curl -sf "$target" -H "Authorization: Bearer $token" -H "Content-Type: application/json" -H "Accept: application/json, text/event-stream" -d "$body")
  grep -q '42 open issues' <<<"$answer" || { echo "unexpected answer from $target: $answer" >&2; exit 1; }
done
# The gateway must have injected its credential, never the agent's token.
last=$(curl -sf "$upstream/last-authorization")
[ "$last" != "Bearer $token" ] || { echo "the gateway forwarded the agent's token" >&2; exit 1; }
case "$credential" in
  connection) [ "$last" = "Bearer $secret" ] || { echo "the brokered secret was not injected" >&2; exit 1; } ;;
  token-exchange) jq -Rr 'split(".")[1] | gsub("-";"+") | gsub("_";"/") | @base64d | fromjson | "\(.aud) \(.scope)"' <<<"${last#Bearer }" \
                    | grep -qx "$resource github.search_issues" || { echo "no downstream token for $resource was injected" >&2; exit 1; } ;;
  none) [ -z "$last" ] || { echo "an Authorization header reached the upstream" >&2; exit 1; } ;;
esac
echo "checked: all four answer; the upstream got the gateway's $credential credential, not the agent's token"

audit_size() { curl -sf -H "Authorization: Bearer $admin" "$writ_url/admin/v1/audit/checkpoints/latest" | jq -r '.treeSize // .size // 0'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "load average at start: $(load)"

# Throughput counts what reached the upstream (its /count before and after), not what wrk saw answered: a refused
# call (the gateway failing closed, e.g. when its audit log sheds load) is a fast 200 with a JSON-RPC error.
wrk_run() { # wrk_run <label> <url> <seconds>  ->  label requests non2xx socket_errors duration_us p50_us p99_us forwarded
  local before after line
  before=$(curl -sf "$upstream/count")
  line=$(WRIT_TOKEN="$token" WRIT_BODY="$body" wrk -t$threads -c"$connections" -d"$3s" -s bench/load/gateway.lua "$2" \
    | sed -n "s/^requests=\([0-9]*\) non2xx=\([0-9]*\) errors=\([0-9]*\) duration_us=\([0-9]*\) p50_us=\([0-9]*\) p99_us=\([0-9]*\)$/$1 \1 \2 \3 \4 \5 \6/p")
  after=$(curl -sf "$upstream/count")
  echo "$line $((after - before))"
}
per_s() { awk '{ printf "%.0f", $8 / ($5 / 1e6) }' <<<"$1"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# Warm-up: the .NET processes tier up their code in the background, which on a busy 2-core machine takes tens of
# seconds under load; each target runs 10 s passes until two in a row agree within 10% (at most 8 passes).
echo "==> warm-up until steady, then $rounds rounds of ${seconds}s per target, $connections connections, wrk -t$threads"
for t in direct gateway nginx yarp; do
  u=${t}_url; previous=0; passes=""
  for _ in $(seq 1 8); do
    current=$(per_s "$(wrk_run "$t" "${!u}" 10)")
    passes="$passes $current"
    awk -v a="$previous" -v b="$current" 'BEGIN { exit !(a > 0 && b / a > 0.9 && b / a < 1.1) }' && break
    previous=$current
  done
  echo "warm-up target=$t per_s:$passes"
done
audit_before=$(audit_size)
gateway_calls=0
ratios=(); yarp_ratios=(); d_all=(); g_all=(); n_all=(); y_all=()
for r in $(seq 1 "$rounds"); do
  d=$(wrk_run direct "$direct_url" "$seconds")
  g=$(wrk_run gateway "$gateway_url" "$seconds")
  n=$(wrk_run nginx "$nginx_url" "$seconds")
  y=$(wrk_run yarp "$yarp_url" "$seconds")
  dr=$(per_s "$d"); gr=$(per_s "$g"); nr=$(per_s "$n"); yr=$(per_s "$y")
  d_all+=("$dr"); g_all+=("$gr"); n_all+=("$nr"); y_all+=("$yr")
  gateway_calls=$((gateway_calls + $(awk '{ print $8 }' <<<"$g")))
  ratio=$(awk -v g="$gr" -v n="$nr" 'BEGIN { printf "%.2f", g / n }')
  yarp_ratio=$(awk -v y="$yr" -v n="$nr" 'BEGIN { printf "%.2f", y / n }')
  ratios+=("$ratio"); yarp_ratios+=("$yarp_ratio")
  for x in "$d" "$g" "$n" "$y"; do
    read -r label req non2xx errors _ p50 p99 forwarded <<<"$x"
    echo "round=$r target=$label forwarded_per_s=$(per_s "$x") requests=$req forwarded=$forwarded not_forwarded=$((req - forwarded)) non2xx=$non2xx socket_errors=$errors p50_us=$p50 p99_us=$p99"
  done
  echo "round=$r gateway/nginx=$ratio yarp/nginx=$yarp_ratio load1=$(cut -d' ' -f1 /proc/loadavg)"
done
med() { printf '%s\n' "$@" | median; }
echo "throughput_summary direct_per_s=$(med "${d_all[@]}") gateway_per_s=$(med "${g_all[@]}") nginx_per_s=$(med "${n_all[@]}") yarp_per_s=$(med "${y_all[@]}") gateway/nginx=$(med "${ratios[@]}") (target 0.80) yarp/nginx=$(med "${yarp_ratios[@]}")"

echo "==> latency at $rate calls/s (open loop)"
token=$(task_token)
WRIT_TOKEN="$token" WRIT_BODY="$body" dotnet run -c Release --no-build bench/load/gateway-rate.cs -- "$rate" "$seconds" "$rounds" \
  direct="$direct_url" gateway="$gateway_url" nginx="$nginx_url" yarp="$yarp_url" | tee "$work/rate.txt"
gateway_calls=$((gateway_calls + $(sed -n 's/^rate_summary target=gateway calls=\([0-9]*\).*/\1/p' "$work/rate.txt")))
refused=$(sed -n 's/^rate_summary target=gateway calls=[0-9]* failed=\([0-9]*\).*/\1/p' "$work/rate.txt")
field() { sed -n "s/^rate_summary target=$1 .* $2=\([0-9]*\).*/\1/p" "$work/rate.txt"; }
awk -v d50="$(field direct p50_us)" -v d99="$(field direct p99_us)" -v g50="$(field gateway p50_us)" -v g99="$(field gateway p99_us)" \
    -v n50="$(field nginx p50_us)" -v n99="$(field nginx p99_us)" -v y50="$(field yarp p50_us)" -v y99="$(field yarp p99_us)" 'BEGIN {
  ga50 = g50 - d50; na50 = n50 - d50; ga99 = g99 - d99; na99 = n99 - d99; ya50 = y50 - d50; ya99 = y99 - d99
  # When nginx adds nothing measurable (at or below the direct figure, as happens at p99 on a busy machine), no ratio is meaningful.
  r50 = na50 > 0 ? sprintf("%.2f", ga50 / na50) : "n/a"; r99 = na99 > 0 ? sprintf("%.2f", ga99 / na99) : "n/a"
  printf "latency_summary added_us: gateway p50=%d p99=%d, nginx p50=%d p99=%d, yarp p50=%d p99=%d; gateway/nginx p50=%s (target 1.5) p99=%s (target 2)\n", \
    ga50, ga99, na50, na99, ya50, ya99, r50, r99 }'

sleep 2   # a checkpoint is signed at least every second while records arrive
audit_after=$(audit_size)
echo "audit: $((audit_after - audit_before)) records checkpointed during the measured gateway calls ($gateway_calls forwarded after warm-up, plus the rate tool's 3 s warm-up; each forwarded call writes a decision and a tool.call record); calls the gateway refused at $rate/s: $refused"
echo "credential=$credential wrk_threads=$threads connections=$connections rate=$rate cores=$(nproc) load average at end: $(load)"
# What the gateway logged as failures (e.g. outcomes the audit queue refused), counted by message.
grep -h -A1 '^fail\|^warn' "$work/gateway.log" | grep -v '^fail\|^warn\|^--' | sed 's/^ *//' | sort | uniq -c | sort -rn | head -5 | sed 's/^/gateway_log: /' || true
