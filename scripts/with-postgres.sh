#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on 127.0.0.1 and TEST_DATABASE_URL pointing at it.
# The server runs as the postgres user from a temporary folder and is stopped when the command ends.
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pgdir=$(mktemp -d /tmp/chatbuddy-pg.XXXXXX)
port=${PGTEST_PORT:-$((40000 + RANDOM % 20000))}
runas=()
if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$pgdir"
    runas=(su postgres -s /bin/bash -c)
else
    runas=(bash -c)
fi

stop() {
    "${runas[@]}" "$pgbin/pg_ctl -D $pgdir/data -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$pgdir"
}
trap stop EXIT

"${runas[@]}" "$pgbin/initdb -D $pgdir/data -U postgres -A trust --no-sync" >/dev/null
"${runas[@]}" "$pgbin/pg_ctl -D $pgdir/data -o '-c listen_addresses=127.0.0.1 -p $port -k $pgdir -c fsync=off -c max_connections=200' -l $pgdir/log -w start" >/dev/null
"$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE chatbuddy_test" >/dev/null

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/chatbuddy_test"
echo "PostgreSQL ready at $TEST_DATABASE_URL"
"$@"
