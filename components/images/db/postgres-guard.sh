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
# Waiting: during a deployment ECS may start the new task while the old one is still stopping
# (up to its 120 s stopTimeout), so a busy lock is first waited for, PG_LOCK_WAIT_SECONDS
# (default 180) at most, with a line every 5 s naming the holder. After that the guard refuses
# for good with exit status 75 (EX_TEMPFAIL): the orchestrator may retry later.
#
# The lock is taken on file descriptor 9, which the command inherits: the server and every
# process it forks hold it, so the lock lives exactly as long as the server (even if this
# script is killed). Who holds it is written to a side file, never to the lock file itself:
# on NFS flock() is emulated with POSIX locks, which a process loses when it closes ANY
# descriptor of the locked file (https://man7.org/linux/man-pages/man2/flock.2.html).
#
# Stopping: the guard stays the server's parent. Docker and ECS send SIGTERM (or the image's
# STOPSIGNAL, SIGINT), and PostgreSQL takes SIGTERM as a "smart" shutdown that waits for every
# client to disconnect, so one idle session would hold the stop until SIGKILL and leave a crash
# to recover at the next start. On SIGTERM or SIGINT the guard asks for a fast shutdown
# (SIGINT: still clean, it rolls back open transactions and checkpoints) and exits with the
# server's status.
set -euo pipefail

readonly EX_USAGE=64
readonly EX_TEMPFAIL=75
readonly REPORT_EVERY=5

if [ "$#" -eq 0 ]; then
  echo "postgres-guard: usage: postgres-guard.sh <command...> (e.g. docker-entrypoint.sh postgres)" >&2
  exit "$EX_USAGE"
fi
if [ -z "${PGDATA:-}" ]; then
  echo "postgres-guard: PGDATA is not set; set it to the data directory (a subdirectory of the volume)" >&2
  exit "$EX_USAGE"
fi
wait_seconds="${PG_LOCK_WAIT_SECONDS:-180}"
if ! [[ "$wait_seconds" =~ ^[0-9]+$ ]]; then
  echo "postgres-guard: PG_LOCK_WAIT_SECONDS=$wait_seconds is not a number of seconds; set it to e.g. 180" >&2
  exit "$EX_USAGE"
fi

lock_file="${PG_LOCK_FILE:-$(dirname "$PGDATA")/postgres.lock}"
holder_file="$lock_file.holder"

holder() {
  local recorded
  recorded="$(cat "$holder_file" 2>/dev/null || true)"
  echo "${recorded:-an unrecorded holder}"
}

if ! exec 9>>"$lock_file"; then
  echo "postgres-guard: cannot open $lock_file for writing; make its directory writable by $(id -un)" >&2
  exit "$EX_USAGE"
fi
if ! flock --exclusive --nonblock 9; then
  waited=0
  locked=false
  while [ "$waited" -lt "$wait_seconds" ]; do
    echo "postgres-guard: waiting for $lock_file, held by $(holder)" \
      "(${waited} s of PG_LOCK_WAIT_SECONDS=$wait_seconds)" >&2
    step=$((wait_seconds - waited < REPORT_EVERY ? wait_seconds - waited : REPORT_EVERY))
    if flock --exclusive --wait "$step" 9; then
      locked=true
      break
    fi
    waited=$((waited + step))
  done
  if [ "$locked" != true ]; then
    echo "postgres-guard: another PostgreSQL server ($(holder)) still holds $lock_file after" \
      "${wait_seconds} s; refusing to start on $PGDATA (stop that server, or raise" \
      "PG_LOCK_WAIT_SECONDS)" >&2
    exit "$EX_TEMPFAIL"
  fi
fi

# Written after the lock is ours, replaced in one rename so a waiting guard never reads half.
printf 'host %s, pid %s, since %s\n' "${HOSTNAME:-$(uname -n)}" "$$" \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$holder_file.$$"
mv -f "$holder_file.$$" "$holder_file"

# An asynchronous command of a non-interactive shell starts with SIGINT ignored, but PostgreSQL
# installs its own handler, so the SIGINT below reaches it.
"$@" &
server=$!
stopping=false
fast_shutdown() {
  stopping=true
  kill -INT "$server" 2>/dev/null || true
}
trap fast_shutdown TERM INT

while kill -0 "$server" 2>/dev/null; do
  if [ "$stopping" = true ]; then
    # A stop that arrived while a wrapper before the server was still running (that shell
    # ignores SIGINT) is repeated until the server itself has it; a repeat is harmless.
    sleep 1
    kill -INT "$server" 2>/dev/null || true
  else
    wait "$server" || true
  fi
done
# The shell keeps the status of a reaped child: this returns the server's own.
status=0
wait "$server" || status=$?
exit "$status"
