#!/usr/bin/env bash
# Propagation latency of revocations on loopback: `writ dev` (SQLite; or PostgreSQL with WRIT_STORAGE__PROVIDER and
# WRIT_STORAGE__CONNECTION_STRING set) and one enforcement point (RevocationSubscriber over SSE) on this machine.
# Each revocation is one POST /admin/v1/revocations; it counts as propagated when the subscriber rejects the token.
# Usage: bench/load/revocation-propagation.sh [revocations] [gap-ms]
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-1000}
gap=${2:-20}
port=7692
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

artifacts=${WRIT_BENCH_ARTIFACTS:-/tmp/writ-bench-artifacts}
dotnet build src/Writ.Cli -c Release --nologo -v quiet --artifacts-path "$artifacts"
dotnet build bench/load/revocation-propagation.cs -c Release --nologo -v quiet
writ="dotnet $artifacts/bin/Writ.Cli/release/writ.dll"

url="http://127.0.0.1:$port"
Logging__LogLevel__Default=Warning $writ dev --urls "$url" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done
token=$(cat "$work/data/admin-token")

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet run -c Release --no-build bench/load/revocation-propagation.cs -- "$url" "$token" "$count" "$gap"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
