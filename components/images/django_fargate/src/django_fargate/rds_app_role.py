"""Make the application's role on a managed Postgres (RDS): the web task's db-init container,
``python -m django_fargate.rds_app_role`` in any app's image (every web image installs the
library, so a team's project needs no script of its own).

Runs rds-app-role.sql (package data, beside this module) as the master user, then exits: 0
once the role exists with the current password and owns the database; non-zero (the web
container then never starts) otherwise. The connection comes from libpq's own variables,
which the task sets: PGHOST, PGPORT, PGDATABASE, PGSSLMODE=verify-full, PGSSLROOTCERT (the
RDS CA bundle of the web image), and from the RDS-managed master secret PGUSER and PGPASSWORD
(https://www.postgresql.org/docs/17/libpq-envars.html). APP_DB_USER and APP_DB_PASSWORD name
the application role and its password. No password is printed.
"""

import os
import sys
from pathlib import Path

import psycopg

SCRIPT = Path(__file__).with_name("rds-app-role.sql")
REQUIRED = ("PGHOST", "PGDATABASE", "PGUSER", "PGPASSWORD", "APP_DB_USER", "APP_DB_PASSWORD")


def make_app_role(app_user: str, app_password: str, db_name: str) -> None:
    """The role script in one transaction; the values reach it as transaction-local settings,
    so the password is gone from the session when it commits."""
    with psycopg.connect(connect_timeout=10) as connection, connection.transaction():
        connection.execute(
            "SELECT set_config('django_tw.app_user', %s, true),"
            " set_config('django_tw.app_password', %s, true),"
            " set_config('django_tw.db_name', %s, true)",
            [app_user, app_password, db_name],
        )
        connection.execute(SCRIPT.read_text())


def main() -> int:
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        print(f"rds_app_role: {', '.join(missing)} not set", file=sys.stderr)
        return 2
    app_user, database = os.environ["APP_DB_USER"], os.environ["PGDATABASE"]
    try:
        make_app_role(app_user, os.environ["APP_DB_PASSWORD"], database)
    except psycopg.Error as error:
        # The primary message only: the server's CONTEXT of a failed step may quote it.
        message = error.diag.message_primary or str(error)
        print(f"rds_app_role: {message}".strip(), file=sys.stderr)
        return 1
    print(f"rds_app_role: application role {app_user} owns database {database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
