#!/usr/bin/env bash
# Harden the cluster before every start, then start the server on the task's loopback only.
#
#   postgres-prepare.sh <command...>   e.g. postgres-prepare.sh docker-entrypoint.sh postgres
#   postgres-prepare.sh --initdb       from /docker-entrypoint-initdb.d, on a brand-new cluster
#
# Inside one Fargate task nginx, web and db share one loopback, so whatever the database trusts
# on 127.0.0.1 every container (and every ECS Exec shell) gets. This script makes sure that:
#   - pg_hba.conf has no `trust` line: the official image's initdb without --auth trusts local,
#     127.0.0.1 and ::1 ahead of its own scram line; existing clusters keep that file forever;
#   - the server listens on 127.0.0.1 only (`-c listen_addresses=127.0.0.1` appended to the
#     command, which docker-entrypoint.sh passes on to postgres);
#   - the application's role (POSTGRES_APP_USER) is an ordinary LOGIN role that owns
#     POSTGRES_DB and everything in it, and the bootstrap superuser (POSTGRES_USER) keeps
#     POSTGRES_PASSWORD; the passwords are re-applied on every start so the secrets in the
#     task definition are the truth.
# Everything is idempotent and every change is logged; passwords reach PostgreSQL only on
# stdin and never appear on a command line or in a log line.
#
# Existing clusters are changed in single-user mode (no network, nothing else running: the guard
# in front of this script holds the data directory's lock). A brand-new cluster does not exist
# yet when this runs; docker-entrypoint.sh creates it and then runs
# /docker-entrypoint-initdb.d/10-django-tw-roles.sh, which calls `--initdb`: the same SQL through
# psql against the image's temporary server.
set -euo pipefail

readonly EX_USAGE=64
readonly EX_CONFIG=78
readonly PROTECTED_ROLES="'pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files'"

# Our RAISE LOG lines without their log prefix; their PL/pgSQL context lines and the shutdown
# checkpoint of every single-user session are noise.
readonly LOG_FILTER='s/^.*(LOG|ERROR):  postgres-prepare: /postgres-prepare: /
/CONTEXT:  PL\/pgSQL function inline_code_block/d
/LOG:  checkpoint (starting|complete)/d'

log() { echo "postgres-prepare: $*" >&2; }
fail() {
  log "$1"
  exit "${2:-$EX_CONFIG}"
}

require_name() {
  local variable="$1" value="${!1:-}"
  [ -n "$value" ] || fail "$variable is not set; set it in the db container's environment"
  [[ "$value" =~ ^[a-z_][a-z0-9_]*$ ]] ||
    fail "$variable=$value is not a plain lower-case SQL name; use letters, digits and _"
}
require_password() {
  local variable="$1" value="${!1:-}"
  [ -n "$value" ] || fail "$variable is not set; give the db container the secret"
  [[ "$value" != *$'\n'* ]] || fail "$variable holds a line break; generate one without"
}

check_environment() {
  [ -n "${PGDATA:-}" ] || fail "PGDATA is not set; set it to the data directory" "$EX_USAGE"
  require_name POSTGRES_USER
  require_name POSTGRES_APP_USER
  require_name POSTGRES_DB
  require_password POSTGRES_PASSWORD
  require_password POSTGRES_APP_PASSWORD
  [ "$POSTGRES_USER" != "$POSTGRES_APP_USER" ] ||
    fail "POSTGRES_APP_USER equals POSTGRES_USER ($POSTGRES_USER): give the application its own role"
}

literal() { printf "'%s'" "${1//\'/\'\'}"; }

# --- pg_hba.conf ---------------------------------------------------------------------------
harden_hba() {
  local hba="$PGDATA/pg_hba.conf" line number=0 changed=0 fields rewritten
  [ -f "$hba" ] || return 0
  rewritten="$(mktemp "$PGDATA/pg_hba.conf.XXXXXX")"
  while IFS= read -r line || [ -n "$line" ]; do
    number=$((number + 1))
    read -ra fields <<<"${line%%#*}"
    # The method follows TYPE DATABASE USER [ADDRESS [MASK]]: fields from the fourth on; no
    # address, mask or option is spelt `trust`.
    if [ "${#fields[@]}" -ge 4 ] && [[ " ${fields[*]:3} " == *" trust "* ]] &&
      [[ "${line%%#*}" =~ ^(.*[[:space:]])trust([[:space:]].*)?$ ]]; then
      log "pg_hba.conf line $number: \"${fields[*]}\": trust -> scram-sha-256"
      line="${BASH_REMATCH[1]}scram-sha-256${BASH_REMATCH[2]}"
      changed=$((changed + 1))
    fi
    printf '%s\n' "$line" >>"$rewritten"
  done <"$hba"
  if [ "$changed" -gt 0 ]; then
    chmod 0600 "$rewritten"
    mv -f "$rewritten" "$hba"
  else
    rm -f "$rewritten"
  fi
}

# --- roles and ownership ---------------------------------------------------------------------
# Statements end with `;` and a blank line (single-user mode's -j), so no blank line inside one.
# Changes are reported with RAISE LOG lines starting "postgres-prepare:".
roles_sql() {
  local superuser app database
  superuser="$(literal "$POSTGRES_USER")" app="$(literal "$POSTGRES_APP_USER")"
  database="$(literal "$POSTGRES_DB")"
  cat <<SQL
DO \$prepare\$
DECLARE
  superuser text := $superuser;
  app text := $app;
  dbname text := $database;
  bootstrap text := (SELECT rolname FROM pg_roles WHERE oid = 10);
  granted record;
BEGIN
  IF bootstrap = app THEN
    RAISE EXCEPTION 'postgres-prepare: the application role "%" is this cluster''s bootstrap superuser (created by initdb), which can never lose SUPERUSER', app
      USING HINT = format('Set POSTGRES_APP_USER to another name (e.g. %s_app) and DATABASE_URL to match: the next start creates that role and hands it %s and everything in it.', app, dbname);
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = superuser) THEN
    EXECUTE format('CREATE ROLE %I SUPERUSER LOGIN', superuser);
    RAISE LOG 'postgres-prepare: created the superuser role %', superuser;
  ELSIF NOT (SELECT rolsuper AND rolcanlogin FROM pg_roles WHERE rolname = superuser) THEN
    EXECUTE format('ALTER ROLE %I SUPERUSER LOGIN', superuser);
    RAISE LOG 'postgres-prepare: made % a superuser that can log in', superuser;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', app);
    RAISE LOG 'postgres-prepare: created the application role %', app;
  END IF;
  IF (SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls OR NOT rolcanlogin
      FROM pg_roles WHERE rolname = app) THEN
    EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', app);
    RAISE LOG 'postgres-prepare: % is now LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', app;
  END IF;
  -- Membership in a role with those powers would give them back through SET ROLE.
  FOR granted IN
    SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
    WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = app)
      AND (r.rolsuper OR r.rolcreatedb OR r.rolcreaterole OR r.rolname IN ($PROTECTED_ROLES))
  LOOP
    EXECUTE format('REVOKE %I FROM %I', granted.rolname, app);
    RAISE LOG 'postgres-prepare: revoked % from %', granted.rolname, app;
  END LOOP;
  IF EXISTS (SELECT FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
             WHERE d.datname = dbname AND r.rolname <> app) THEN
    EXECUTE format('ALTER DATABASE %I OWNER TO %I', dbname, app);
    RAISE LOG 'postgres-prepare: % now owns the database %', app, dbname;
  END IF;
END
\$prepare\$;

SQL
}

# Run in the application's database: hand it every schema, table, view, sequence and function
# there (Django's migrations may have run as a superuser), except extension members.
ownership_sql() {
  local app
  app="$(literal "$POSTGRES_APP_USER")"
  cat <<SQL
DO \$prepare\$
DECLARE
  app text := $app;
  item record;
BEGIN
  FOR item IN
    SELECT 'SCHEMA' AS kind, format('%I', n.nspname) AS name FROM pg_namespace n
    WHERE n.nspowner NOT IN (SELECT oid FROM pg_roles WHERE rolname IN (app, 'pg_database_owner'))
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
    UNION ALL
    SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                          WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
           format('%I.%I', n.nspname, c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = app)
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
      -- a sequence that belongs to a column moves with its table
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                      AND d.deptype IN ('a', 'i', 'e'))
    UNION ALL
    SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
           p.oid::regprocedure::text
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = app)
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', item.kind, item.name, app);
    RAISE LOG 'postgres-prepare: % now owns % %', app, lower(item.kind), item.name;
  END LOOP;
END
\$prepare\$;

SQL
}

# Not logged even when they fail: the session's statement logging is off (see run_single).
passwords_sql() {
  printf 'ALTER ROLE %s PASSWORD %s;\n\n' \
    "\"$POSTGRES_USER\"" "$(literal "$POSTGRES_PASSWORD")" \
    "\"$POSTGRES_APP_USER\"" "$(literal "$POSTGRES_APP_PASSWORD")"
}

database_missing_sql() {
  printf "SELECT count(*) AS missing FROM pg_database WHERE datname = %s HAVING count(*) = 0;\n\n" \
    "$(literal "$POSTGRES_DB")"
}

# --- running SQL -------------------------------------------------------------------------------
# SQL on stdin to a single-user backend; its log lines go to stderr (our "postgres-prepare:"
# lines without their log prefix), its result rows to stdout. Single-user mode carries on after
# an error, so any ERROR or FATAL fails the whole step.
run_single() {
  local database="$1" errors status=0
  errors="$(mktemp)"
  postgres --single -j -D "$PGDATA" \
    -c log_min_error_statement=panic -c log_statement=none \
    "$database" 2> >(tee "$errors" | sed -uE "$LOG_FILTER" >&2) ||
    status=$?
  wait # for the process substitution's last lines
  if [ "$status" -ne 0 ] || grep -qE '(ERROR|FATAL|PANIC):' "$errors"; then
    rm -f "$errors"
    fail "single-user PostgreSQL on $PGDATA ($database) failed; see the lines above" 1
  fi
  rm -f "$errors"
}

# A data directory of another major cannot start on this server (FATAL "database files are
# incompatible with server"); say what to do instead. The image's postgres-upgrade.sh moves it.
check_major() {
  local data server
  data="$(cat "$PGDATA/PG_VERSION")"
  server="$(postgres --version | sed -E 's/.*\(PostgreSQL\) ([0-9]+).*/\1/')"
  if [ "$data" != "$server" ]; then
    fail "$PGDATA is a PostgreSQL $data cluster and this server is PostgreSQL $server: run $(
      )postgres-upgrade once before starting it (docs/operations.md \"Upgrading PostgreSQL\")"
  fi
}

prepare_existing_cluster() {
  check_major
  harden_hba
  local missing
  roles_sql | run_single postgres >/dev/null
  missing="$(database_missing_sql | run_single postgres)"
  if [[ "$missing" == *'missing = "0"'* ]]; then
    printf 'CREATE DATABASE "%s" OWNER "%s";\n\n' "$POSTGRES_DB" "$POSTGRES_APP_USER" |
      run_single postgres >/dev/null
    log "created the database $POSTGRES_DB, owned by $POSTGRES_APP_USER"
  fi
  { ownership_sql; passwords_sql; } | run_single "$POSTGRES_DB" >/dev/null
}

# On a new cluster, from /docker-entrypoint-initdb.d: docker-entrypoint.sh has created the cluster
# and POSTGRES_DB, its temporary server listens on the socket only and PGPASSWORD is exported.
prepare_new_cluster() {
  local psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc --quiet)
  harden_hba # read by the real server that starts next, not by the temporary one
  { echo "SET log_min_error_statement = panic;"; roles_sql; } | "${psql[@]}" --dbname postgres
  { echo "SET log_min_error_statement = panic;"; ownership_sql; passwords_sql; } |
    "${psql[@]}" --dbname "$POSTGRES_DB"
  log "the application role $POSTGRES_APP_USER owns $POSTGRES_DB"
}

is_server_command() {
  local argument
  for argument in "$@"; do
    [ "${argument##*/}" = postgres ] && return 0
  done
  return 1
}

if [ "$#" -eq 0 ]; then
  fail "usage: postgres-prepare.sh <command...> (e.g. docker-entrypoint.sh postgres) | --initdb" \
    "$EX_USAGE"
fi
if [ "$1" = --initdb ]; then
  check_environment
  prepare_new_cluster
  exit 0
fi
# Anything else (a shell, pg_dump...) runs untouched.
if is_server_command "$@"; then
  check_environment
  if [ -f "$PGDATA/PG_VERSION" ]; then
    prepare_existing_cluster
  fi
  set -- "$@" -c listen_addresses=127.0.0.1
fi
exec "$@"
