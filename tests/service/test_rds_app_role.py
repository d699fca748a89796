"""service/db/rds-app-role.sql: the application's own role on a managed Postgres.

An administrator that is not a superuser (CREATEROLE, CREATEDB: what RDS's master user holds)
stands in for the master user, on the session's server.
"""

import subprocess
import uuid

import psycopg
import pytest

from local.system import postgres_bin_dir
from paths import SERVICE_DIR

SCRIPT = SERVICE_DIR / "db" / "rds-app-role.sql"
PASSWORD = "x" * 40


@pytest.fixture
def managed(postgresql_server):
    """(server url as the real superuser, admin role, database) with a fresh admin and database."""
    suffix = uuid.uuid4().hex[:8]
    admin, database = f"master_{suffix}", f"app_{suffix}"
    root = f"postgres://postgres@{postgresql_server.host}:{postgresql_server.port}/postgres"
    with psycopg.connect(root, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {admin} LOGIN CREATEROLE CREATEDB")
        connection.execute(f"CREATE DATABASE {database} OWNER {admin}")
    return root, admin, database


def run_script(server, admin: str, database: str, app_user: str, password: str = PASSWORD):
    return subprocess.run(
        [
            str(postgres_bin_dir() / "psql"),
            f"host={server.host} port={server.port} dbname={database} user={admin}",
            "--no-psqlrc",
            "-v",
            f"app_user={app_user}",
            "-v",
            f"app_password={password}",
            "-v",
            f"db_name={database}",
            "-f",
            str(SCRIPT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def role(root: str, name: str) -> dict:
    with psycopg.connect(root) as connection:
        row = connection.execute(
            "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication "
            "FROM pg_roles WHERE rolname = %s",
            [name],
        ).fetchone()
    keys = ("login", "superuser", "createdb", "createrole", "replication")
    return dict(zip(keys, row, strict=True)) if row else {}


def test_a_non_superuser_admin_gives_the_application_a_plain_role_that_owns_the_database(
    postgresql_server, managed
):
    root, admin, database = managed
    app_user = f"{database}_web"

    result = run_script(postgresql_server, admin, database, app_user)

    assert result.returncode == 0, result.stderr
    assert f"application role {app_user} owns database {database}" in result.stdout
    assert role(root, app_user) == {
        "login": True,
        "superuser": False,
        "createdb": False,
        "createrole": False,
        "replication": False,
    }
    app_url = f"postgres://{app_user}@{postgresql_server.host}:{postgresql_server.port}/{database}"
    with psycopg.connect(app_url, autocommit=True) as app:
        owner = app.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
        ).fetchone()[0]
        assert owner == app_user
        # Migrations create tables in the public schema, which the database owner owns.
        app.execute("CREATE TABLE migrated (id int)")
        app.execute("DROP TABLE migrated")
    assert PASSWORD not in result.stdout + result.stderr


def test_running_it_again_changes_nothing_but_the_password(postgresql_server, managed):
    root, admin, database = managed
    app_user = f"{database}_web"
    assert run_script(postgresql_server, admin, database, app_user).returncode == 0
    with psycopg.connect(root) as connection:
        before = connection.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", [app_user]
        ).fetchone()[0]

    again = run_script(postgresql_server, admin, database, app_user, password="y" * 40)

    assert again.returncode == 0, again.stderr
    with psycopg.connect(root) as connection:
        after = connection.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", [app_user]
        ).fetchone()[0]
    assert after != before
    assert role(root, app_user)["superuser"] is False


@pytest.mark.parametrize("app_user", ["postgres", "admin"])
def test_an_administrator_is_refused_as_the_application_role(postgresql_server, managed, app_user):
    _, admin, database = managed
    result = run_script(
        postgresql_server, admin, database, admin if app_user == "admin" else app_user
    )
    assert result.returncode != 0
    assert "give the application its own role" in result.stderr


def test_a_role_that_already_holds_createrole_is_refused(postgresql_server, managed):
    root, admin, database = managed
    app_user = f"{database}_web"
    with psycopg.connect(root, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {app_user} LOGIN CREATEROLE")
    result = run_script(postgresql_server, admin, database, app_user)
    assert result.returncode != 0
    assert "CREATEROLE" in result.stderr


def test_a_short_password_is_refused(postgresql_server, managed):
    _, admin, database = managed
    result = run_script(postgresql_server, admin, database, f"{database}_web", password="short")
    assert result.returncode != 0
    assert "shorter than 32" in result.stderr
