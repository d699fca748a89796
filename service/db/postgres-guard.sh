#!/usr/bin/env bash
# Start PostgreSQL only while holding an exclusive lock on a file next to the data directory.
#
#   postgres-guard.sh <command...>      e.g. postgres-guard.sh docker-entrypoint.sh postgres
#
# Two servers on one data directory corrupt it, and PostgreSQL's own postmaster.pid check
# cannot see a server running in another container or on another host sharing the volume
# (https://github.com/docker-library/postgres/issues/171). An flock on a file in the
# same volume can: EFS supports NFSv4.1 byte-range and whole-file locks
# (https://docs.aws.amazon.com/efs/latest/ug/nfs4-unsupported-features.html lists what it
# does not support; locking is supported).
#
# The lock is taken on file descriptor 9, which stays open across `exec`: the server (and the
# image's entrypoint before it) inherits it, so the lock lives exactly as long as the server.
#
# Exit status 75 (EX_TEMPFAIL) means "another server holds the lock": the orchestrator retries
# later, by which time the old task has stopped and released it.
set -euo pipefail

readonly EX_USAGE=64
readonly EX_TEMPFAIL=75

if [ "$#" -eq 0 ]; then
  echo "postgres-guard: usage: postgres-guard.sh <command...> (e.g. docker-entrypoint.sh postgres)" >&2
  exit "$EX_USAGE"
fi
if [ -z "${PGDATA:-}" ]; then
  echo "postgres-guard: PGDATA is not set; set it to the data directory (a subdirectory of the volume)" >&2
  exit "$EX_USAGE"
fi

lock_file="${PG_LOCK_FILE:-$(dirname "$PGDATA")/postgres.lock}"

if ! exec 9>>"$lock_file"; then
  echo "postgres-guard: cannot open $lock_file for writing; make its directory writable by $(id -un)" >&2
  exit "$EX_USAGE"
fi
if ! flock --exclusive --nonblock 9; then
  echo "postgres-guard: another PostgreSQL server holds $lock_file; refusing to start on $PGDATA" >&2
  exit "$EX_TEMPFAIL"
fi

exec "$@"
