#!/usr/bin/env bash
# Identity-token issuance over HTTP on SQLite and on PostgreSQL, in one run: identity-issuance.sh
# once per store, the PostgreSQL one on a throwaway cluster started here from the machine's own
# binaries (initdb/pg_ctl on a temp directory and a free port of 127.0.0.1), removed on exit.
# Usage: bench/load/issuance-sqlite-vs-postgres.sh [seconds] [connections]
# Knobs: PG_BINDIR        PostgreSQL's server programs (default: pg_config --bindir, else the newest /usr/lib/postgresql/*/bin)
#        PG_USER          the unprivileged user the cluster runs as when this runs as root (default: postgres)
#        PG_SYNCHRONOUS_COMMIT  on (default, PostgreSQL's own default: each commit waits for its WAL flush) or off
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-64}

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ] && command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
fi
if [ -z "$bindir" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL's server programs were not found: apt-get install -y postgresql, or set PG_BINDIR" >&2
  exit 1
fi

# initdb refuses to run as root, so as root the cluster runs as an unprivileged user.
as=()
if [ "$(id -u)" = 0 ]; then
  user=${PG_USER:-postgres}
  if ! id -u "$user" >/dev/null 2>&1; then
    echo "running as root needs an unprivileged user for the cluster: install postgresql (creates 'postgres') or set PG_USER" >&2
    exit 1
  fi
  as=(runuser -u "$user" --)
fi

root=$(mktemp -d /tmp/writ-bench-pg.XXXXXX)
# PostgreSQL's programs run from the cluster's directory: the unprivileged user may not enter ours.
pg() { (cd "$root" && "${as[@]}" "$@"); }
cleanup() {
  if [ -f "$root/data/postmaster.pid" ]; then
    pg "$bindir/pg_ctl" stop -D "$root/data" -m immediate -w -t 30 >/dev/null 2>&1 || true
  fi
  rm -rf "$root"
}
trap cleanup EXIT
chmod 700 "$root"

password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s' "$password" > "$root/pwfile"
if [ ${#as[@]} -gt 0 ]; then chown -R "$user" "$root"; fi
pg "$bindir/initdb" -D "$root/data" -U writ --pwfile "$root/pwfile" \
  --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C --no-instructions >/dev/null
rm -f "$root/pwfile"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Durable defaults otherwise (fsync on); room for the server's pool (Npgsql's default 100) and tools.
cat >> "$root/data/postgresql.conf" <<CONF

port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$root'
max_connections = 200
synchronous_commit = ${PG_SYNCHRONOUS_COMMIT:-on}
CONF
pg "$bindir/pg_ctl" start -D "$root/data" -l "$root/server.log" -w -t 60 >/dev/null
psql() { PGPASSWORD=$password "$bindir/psql" -h 127.0.0.1 -p "$port" -U writ -d postgres -XqAt "$@"; }
psql -c 'CREATE DATABASE writ_bench'
connection="Host=127.0.0.1;Port=$port;Database=writ_bench;Username=writ;Password=$password"

echo "==> SQLite"
env -u WRIT_STORAGE__PROVIDER -u WRIT_STORAGE__CONNECTION_STRING \
  bench/load/identity-issuance.sh "$seconds" "$connections" | tee "$root/sqlite.out"

echo "==> PostgreSQL $("$bindir/postgres" --version | awk '{ print $3 }') (synchronous_commit=${PG_SYNCHRONOUS_COMMIT:-on})"
WRIT_STORAGE__PROVIDER=postgres WRIT_STORAGE__CONNECTION_STRING=$connection \
  bench/load/identity-issuance.sh "$seconds" "$connections" | tee "$root/postgres.out"
# Evidence that the second run really used the database: its committed transactions.
echo "postgres_xact_commit=$(psql -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'writ_bench'")"

rate() { sed -n 's/^issued_per_s=\([0-9]*\).*/\1/p' "$1"; }
sqlite=$(rate "$root/sqlite.out")
postgres=$(rate "$root/postgres.out")
echo "==> summary"
echo "sqlite_issued_per_s=$sqlite"
echo "postgres_issued_per_s=$postgres"
awk -v p="$postgres" -v s="$sqlite" 'BEGIN { printf "postgres_to_sqlite=%.2f\n", p / s }'
echo "cores=$(nproc) $(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/loadavg=/; s/ /,/g')"
