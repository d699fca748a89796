#!/usr/bin/env bash
# Upgrade the data directory to this image's PostgreSQL major, in place on its volume.
#
#   postgres-upgrade        a one-off run of the db image (docs/operations.md "Upgrading
#                           PostgreSQL"), through the image's entrypoint like every other command
#
# Steps, each logged with a `postgres-upgrade:` line:
#   1. refuse unless the single-writer guard (postgres-guard.sh) holds the volume's lock: the
#      entrypoint's guard holds it for the whole run, so no server can start on the volume;
#   2. nothing to do when PGDATA is already this major;
#   3. start the old major's server on a private socket (no TCP), read what the new cluster must
#      match (bootstrap superuser, encoding, locale, data checksums), take a base backup with
#      the old pg_basebackup into the volume (PGDATA.<old>.base-backup-<time>: the way back),
#      stop it cleanly;
#   4. initdb the new major beside PGDATA (same volume, so hard links work), pg_upgrade --check,
#      then pg_upgrade --link (PG_UPGRADE_MODE=copy copies instead: twice the space, slower, and
#      the old directory stays startable);
#   5. carry pg_hba.conf, pg_ident.conf and postgresql.auto.conf over (pg_upgrade does not), and
#      analyze what pg_upgrade did not carry statistics for;
#   6. move PGDATA aside to PGDATA.<old>-before-upgrade-<time> and the new cluster into PGDATA.
# The old directory and the base backup are kept until the operator removes them. With --link
# the old directory shares its files with the new cluster: it costs almost no space, and once the
# new server has started it must not be started again (pg_upgrade renamed its pg_control); the
# base backup is the way back.
# https://www.postgresql.org/docs/18/pgupgrade.html
#
# Environment: PGDATA; PG_OLD_BINDIR (default /usr/lib/postgresql/<major of PGDATA>/bin, the
# image carries the previous major there); PG_NEW_BINDIR (default: where `postgres` is on PATH);
# PG_LOCK_FILE (as the guard's); PG_UPGRADE_MODE (link or copy).
# Exit status: 0 upgraded or nothing to do, 64 usage or refusal (nothing changed), 1 a failed
# step (PGDATA is left in place; the log names the step).
set -euo pipefail

readonly EX_USAGE=64
readonly OLD_PORT=50432 NEW_PORT=50433

log() { echo "postgres-upgrade: $*" >&2; }
# Nothing was changed: a usage error or a refusal.
refuse() {
  log "$*"
  exit "$EX_USAGE"
}
fail() {
  log "$*"
  exit 1
}

[ -n "${PGDATA:-}" ] || refuse "PGDATA is not set; set it to the data directory"
PGDATA="${PGDATA%/}"
[ -s "$PGDATA/PG_VERSION" ] || refuse "$PGDATA holds no cluster (no PG_VERSION); nothing to upgrade"
volume="$(dirname "$PGDATA")"
lock_file="${PG_LOCK_FILE:-$volume/postgres.lock}"

# 1. The guard's lock: taking it ourselves must fail while the guard in front of us holds it.
if [ ! -e "$lock_file" ] || flock --exclusive --nonblock "$lock_file" true 2>/dev/null; then
  refuse "the single-writer lock $lock_file is not held: run this through postgres-guard.sh (the" \
    "image's entrypoint does), so no server starts on the volume during the upgrade"
fi

new_bin="${PG_NEW_BINDIR:-$(dirname "$(command -v postgres)")}"
new_major="$("$new_bin/postgres" --version | sed -E 's/.*\(PostgreSQL\) ([0-9]+).*/\1/')"
old_major="$(cat "$PGDATA/PG_VERSION")"
old_bin="${PG_OLD_BINDIR:-/usr/lib/postgresql/$old_major/bin}"
mode="${PG_UPGRADE_MODE:-link}"

# 2. Already there, or a step this image cannot take.
if [ "$old_major" = "$new_major" ]; then
  log "$PGDATA is already PostgreSQL $new_major; nothing to do"
  exit 0
fi
[ "$old_major" -lt "$new_major" ] || refuse "$PGDATA is PostgreSQL $old_major, newer than this" \
  "image's $new_major: use an image of $old_major or later"
[ -x "$old_bin/postgres" ] || refuse "no PostgreSQL $old_major server at $old_bin: set PG_OLD_BINDIR" \
  "(this image carries the previous major only)"
case "$mode" in link | copy) ;; *) refuse "PG_UPGRADE_MODE=$mode: use link or copy" ;; esac
new_dir="$PGDATA.$new_major.upgrading"
[ ! -e "$new_dir" ] || refuse "$new_dir exists (an earlier attempt that did not finish): remove it" \
  "with rm -rf, then run this again"

started=$SECONDS
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
# Sockets and pg_upgrade's working files: private to this account, short enough for a socket.
work="$(mktemp -d /tmp/postgres-upgrade.XXXXXX)"
chmod 700 "$work"
trap 'rm -rf "$work"' EXIT
cd "$work"
# Only this account reaches the socket directory, and no server listens on TCP.
printf 'local all all trust\nlocal replication all trust\n' >"$work/pg_hba.conf"
# No archiving from these temporary servers, and no JIT (the carried previous major has its
# LLVM provider but not necessarily the LLVM it was built with).
private=(-c "listen_addresses=" -c "unix_socket_directories=$work" -c "hba_file=$work/pg_hba.conf"
  -c archive_mode=off -c jit=off)

# 3. The old server: what the new cluster must match, and a base backup.
log "PostgreSQL $old_major -> $new_major on $PGDATA ($mode); starting the old server"
"$old_bin/pg_ctl" -D "$PGDATA" -w -t 600 -l "$work/old.log" -o "$(printf '%q ' "${private[@]}" -p "$OLD_PORT")" start >/dev/null ||
  { cat "$work/old.log" >&2; fail "the PostgreSQL $old_major server did not start on $PGDATA"; }
old_sql() { "$old_bin/psql" -h "$work" -p "$OLD_PORT" -U "$superuser" -d template1 -AXqt -c "$1"; }
# The bootstrap superuser (initdb -U of the old cluster); the new cluster's must be the same.
superuser="$("$old_bin/psql" -h "$work" -p "$OLD_PORT" -U "${POSTGRES_USER:-postgres}" -d template1 -AXqt \
  -c "SELECT rolname FROM pg_roles WHERE oid = 10")"
IFS='|' read -r encoding collate ctype < <(old_sql "SELECT pg_encoding_to_char(encoding), datcollate,
  datctype FROM pg_database WHERE datname = 'template0'")
checksums="$(old_sql "SHOW data_checksums")"
backup="$PGDATA.$old_major.base-backup-$stamp"
log "base backup of PostgreSQL $old_major to $backup"
"$old_bin/pg_basebackup" -h "$work" -p "$OLD_PORT" -U "$superuser" -D "$backup" -Ft -z -X fetch \
  --checkpoint=fast || fail "the base backup failed; nothing was changed"
"$old_bin/pg_ctl" -D "$PGDATA" -w -t 600 -m fast stop >/dev/null
log "base backup done ($(du -sh "$backup" | cut -f1)); the old server stopped cleanly"

# 4. The new cluster beside the old one, then pg_upgrade.
checksum_flag=--no-data-checksums
[ "$checksums" = on ] && checksum_flag=--data-checksums
"$new_bin/initdb" -D "$new_dir" -U "$superuser" --encoding="$encoding" --lc-collate="$collate" \
  --lc-ctype="$ctype" "$checksum_flag" --auth=trust >"$work/initdb.log" ||
  { cat "$work/initdb.log" >&2; fail "initdb of PostgreSQL $new_major failed; $PGDATA is unchanged"; }
upgrade=("$new_bin/pg_upgrade" -b "$old_bin" -B "$new_bin" -d "$PGDATA" -D "$new_dir" -U "$superuser"
  -p "$OLD_PORT" -P "$NEW_PORT" --socketdir "$work" --"$mode" --jobs "$(nproc)"
  -o "$(printf '%q ' "${private[@]}")" -O "$(printf '%q ' "${private[@]}")")
"${upgrade[@]}" --check >"$work/check.log" ||
  { cat "$work/check.log" >&2; fail "pg_upgrade --check refused; $PGDATA is unchanged"; }
"${upgrade[@]}" >"$work/upgrade.log" ||
  { cat "$work/upgrade.log" >&2; fail "pg_upgrade failed; $PGDATA was not moved (see above)"; }
log "pg_upgrade --$mode done"

# 5. What pg_upgrade leaves behind: the access rules and ALTER SYSTEM settings, and statistics.
for file in pg_hba.conf pg_ident.conf postgresql.auto.conf; do
  [ ! -f "$PGDATA/$file" ] || cp -p "$PGDATA/$file" "$new_dir/$file"
done
"$new_bin/pg_ctl" -D "$new_dir" -w -t 600 -l "$work/new.log" -o "$(printf '%q ' "${private[@]}" -p "$NEW_PORT")" start >/dev/null ||
  { cat "$work/new.log" >&2; fail "the upgraded PostgreSQL $new_major server did not start"; }
"$new_bin/vacuumdb" -h "$work" -p "$NEW_PORT" -U "$superuser" --all --analyze-in-stages \
  --missing-stats-only >/dev/null
"$new_bin/pg_ctl" -D "$new_dir" -w -t 600 -m fast stop >/dev/null

# 6. The swap: two renames in the volume.
kept="$PGDATA.$old_major-before-upgrade-$stamp"
mv "$PGDATA" "$kept"
mv "$new_dir" "$PGDATA"
log "upgraded $PGDATA from PostgreSQL $old_major to $new_major in $((SECONDS - started)) s;" \
  "kept: $kept (old directory) and $backup (base backup): remove them once the new server is" \
  "trusted"
