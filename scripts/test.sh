#!/usr/bin/env bash
# The one command that runs every Writ test on a fresh clone.
# It installs or prepares what the tests need, then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Cedar conformance data: ../shared/cedar-conformance by default; fetch the official
# cedar-integration-tests repository when the folder is absent (users outside this setup).
export WRIT_CEDAR_CONFORMANCE="${WRIT_CEDAR_CONFORMANCE:-$root/../shared/cedar-conformance}"
if [ ! -d "$WRIT_CEDAR_CONFORMANCE" ]; then
  echo "==> Cedar conformance data not found at $WRIT_CEDAR_CONFORMANCE; fetching cedar-integration-tests"
  WRIT_CEDAR_CONFORMANCE="$root/.tools/cedar-integration-tests"
  if [ ! -d "$WRIT_CEDAR_CONFORMANCE" ]; then
    git clone --depth 1 https://github.com/cedar-policy/cedar-integration-tests "$WRIT_CEDAR_CONFORMANCE"
  fi
  export WRIT_CEDAR_CONFORMANCE
fi

# PostgreSQL server binaries: the tests start a throwaway cluster of their own (initdb + pg_ctl).
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "==> Installing PostgreSQL (Debian package postgresql)"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

# Node packages the tests run: independent JWT verification (jose), the Shared Signals receiver, ...
for dir in tests/*/; do
  if [ -f "$dir/package-lock.json" ]; then
    echo "==> Installing Node test dependencies in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

echo "==> Building"
dotnet build Writ.slnx -c Release --nologo -v quiet

echo "==> Testing"
dotnet test --solution Writ.slnx -c Release --no-build "$@"
