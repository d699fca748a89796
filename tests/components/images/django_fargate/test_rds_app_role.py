"""django_fargate.rds_app_role (running its rds-app-role.sql): the application's own role on a
managed Postgres, made by the web task's db-init container at every start, in any app's image.

A server of its own stands in for RDS: passwords are checked (scram-sha-256) for every role but
the real superuser the fixtures use, and the administrator the script runs as is, like RDS's
master user, NOSUPERUSER with CREATEROLE and CREATEDB, owning the database RDS created and
nothing else.
"""

import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from stack.paths import DJANGO_FARGATE_SRC
from tests.postgres_servers import running_server

# The db-init container's command (stack/containers.py, DB_INIT_COMMAND).
RUNNER = ("-m", "django_fargate.rds_app_role")
PASSWORD, ROTATED = "x" * 40, "y" * 40
ADMIN_PASSWORD = "admin-" + "z" * 30
# The superuser keeps trust (the fixtures' own connections); everyone else gives a password.
HBA = (
    "local all all trust\n"
    "host all postgres 127.0.0.1/32 trust\n"
    "host all all 127.0.0.1/32 scram-sha-256\n"
)


@pytest.fixture(scope="module")
def rds_like():
    with running_server("django-tw-test-rds-role-", "postgres", "-c fsync=off") as server:
        Path(server.datadir, "pg_hba.conf").write_text(HBA)
        with ready_connection(root_url(server)) as connection:
            connection.execute("SELECT pg_reload_conf()")
        yield server


def ready_connection(url: str, seconds: float = 30) -> psycopg.Connection:
    """A connection once the server takes them (it may still be starting up on a busy host)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return psycopg.connect(url, autocommit=True)
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def root_url(server) -> str:
    return f"postgres://postgres@{server.host}:{server.port}/postgres"


@pytest.fixture
def managed(rds_like):
    """(admin, database): a fresh master-like administrator and the database it owns."""
    suffix = uuid.uuid4().hex[:8]
    admin, database = f"master_{suffix}", f"app_{suffix}"
    with psycopg.connect(root_url(rds_like), autocommit=True) as connection:
        connection.execute(
            f"CREATE ROLE {admin} LOGIN NOSUPERUSER CREATEROLE CREATEDB PASSWORD '{ADMIN_PASSWORD}'"
        )
        connection.execute(f"CREATE DATABASE {database} OWNER {admin}")
    return admin, database


def run_init(server, admin, database, app_user, password=PASSWORD, **overrides):
    """The db-init container's command with the variables the task gives it."""
    environment = {
        "PATH": os.environ["PATH"],
        "PGHOST": server.host,
        "PGPORT": str(server.port),
        "PGDATABASE": database,
        "PGUSER": admin,
        "PGPASSWORD": ADMIN_PASSWORD,
        "PGSSLMODE": "disable",  # the stand-in has no certificate; the task says verify-full
        "APP_DB_USER": app_user,
        "APP_DB_PASSWORD": password,
        **overrides,
    }
    return subprocess.run(
        [sys.executable, *RUNNER],
        env={
            "PYTHONPATH": str(DJANGO_FARGATE_SRC),
            **{k: v for k, v in environment.items() if v is not None},
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def connect_as(server, user, password, database):
    return psycopg.connect(
        host=server.host,
        port=server.port,
        user=user,
        password=password,
        dbname=database,
        autocommit=True,
        connect_timeout=5,
    )


def role(server, name: str) -> dict:
    with psycopg.connect(root_url(server)) as connection:
        row = connection.execute(
            "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, "
            "rolbypassrls FROM pg_roles WHERE rolname = %s",
            [name],
        ).fetchone()
    keys = ("login", "superuser", "createdb", "createrole", "replication", "bypassrls")
    return dict(zip(keys, row, strict=True)) if row else {}


PLAIN = {
    "login": True,
    "superuser": False,
    "createdb": False,
    "createrole": False,
    "replication": False,
    "bypassrls": False,
}


def test_a_non_superuser_admin_gives_the_application_a_plain_role_that_can_migrate(
    rds_like, managed
):
    admin, database = managed
    app_user = f"{database}_web"
    assert role(rds_like, admin)["superuser"] is False

    result = run_init(rds_like, admin, database, app_user)

    assert result.returncode == 0, result.stderr
    assert f"application role {app_user} owns database {database}" in result.stdout
    assert role(rds_like, app_user) == PLAIN
    with connect_as(rds_like, app_user, PASSWORD, database) as app:
        owner = app.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
        ).fetchone()[0]
        assert owner == app_user
        # What Django's migrations do, in the public schema the database owner owns.
        app.execute("CREATE TABLE migrated (id bigint GENERATED BY DEFAULT AS IDENTITY)")
        app.execute("ALTER TABLE migrated ADD COLUMN email text")
        app.execute("ALTER TABLE migrated ADD PRIMARY KEY (id)")
        app.execute("CREATE UNIQUE INDEX migrated_email ON migrated (lower(email))")
        app.execute("DROP TABLE migrated")
    for secret in (PASSWORD, ADMIN_PASSWORD):
        assert secret not in result.stdout + result.stderr


def test_every_start_runs_it_again_harmlessly_and_a_new_password_takes_over(rds_like, managed):
    admin, database = managed
    app_user = f"{database}_web"
    assert run_init(rds_like, admin, database, app_user).returncode == 0
    with connect_as(rds_like, app_user, PASSWORD, database) as app:
        app.execute("CREATE TABLE kept (id int)")
        app.execute("INSERT INTO kept VALUES (1)")

    same = run_init(rds_like, admin, database, app_user)
    rotated = run_init(rds_like, admin, database, app_user, password=ROTATED)

    assert (same.returncode, rotated.returncode) == (0, 0), same.stderr + rotated.stderr
    assert role(rds_like, app_user) == PLAIN
    with connect_as(rds_like, app_user, ROTATED, database) as app:
        assert app.execute("SELECT id FROM kept").fetchall() == [(1,)]
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect_as(rds_like, app_user, PASSWORD, database)


def test_tasks_that_start_together_all_succeed(rds_like, managed):
    admin, database = managed
    app_user = f"{database}_web"
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: run_init(rds_like, admin, database, app_user), range(6)))
    assert [r.returncode for r in results] == [0] * 6, [r.stderr for r in results]
    assert role(rds_like, app_user) == PLAIN


@pytest.mark.parametrize("app_user", ["postgres", "admin"])
def test_an_administrator_is_refused_as_the_application_role(rds_like, managed, app_user):
    admin, database = managed
    result = run_init(rds_like, admin, database, admin if app_user == "admin" else app_user)
    assert result.returncode == 1
    assert "give the application its own role" in result.stderr


def test_a_role_that_already_holds_createrole_is_refused(rds_like, managed):
    admin, database = managed
    app_user = f"{database}_web"
    with psycopg.connect(root_url(rds_like), autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {app_user} LOGIN CREATEROLE")
    result = run_init(rds_like, admin, database, app_user)
    assert result.returncode == 1
    assert "CREATEROLE" in result.stderr
    assert role(rds_like, app_user)["createrole"] is True  # nothing changed: one transaction


def test_a_short_password_is_refused_and_never_printed(rds_like, managed):
    admin, database = managed
    short = "short-secret"
    result = run_init(rds_like, admin, database, f"{database}_web", password=short)
    assert result.returncode == 1
    assert "shorter than 32" in result.stderr
    assert short not in result.stdout + result.stderr
    assert role(rds_like, f"{database}_web") == {}  # rolled back


def test_a_wrong_master_password_fails_without_echoing_it(rds_like, managed):
    admin, database = managed
    wrong = "wrong-" + "w" * 30
    result = run_init(rds_like, admin, database, f"{database}_web", PGPASSWORD=wrong)
    assert result.returncode == 1
    assert "password authentication failed" in result.stderr
    assert wrong not in result.stdout + result.stderr


def test_a_variable_the_task_forgot_is_named(rds_like, managed):
    admin, database = managed
    result = run_init(rds_like, admin, database, f"{database}_web", APP_DB_PASSWORD=None)
    assert result.returncode == 2
    assert "APP_DB_PASSWORD not set" in result.stderr
