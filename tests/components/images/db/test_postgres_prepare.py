"""db/postgres-prepare.sh, run before every start: no `trust` in pg_hba.conf, the server on
127.0.0.1 only, an ordinary application role that owns its database, and passwords that are
checked. The cluster is made like the official image makes it (initdb --auth=trust)."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from stack.paths import DB_IMAGE_DIR
from stack.postgres_version import POSTGRES_MAJOR, PREVIOUS_MAJOR
from tests.postgres_servers import (
    as_server_user,
    free_port,
    initdb,
    postgres_bin_dir,
    server_owned_tempdir,
)
from tools.local.db_volume import Volume

PREPARE = DB_IMAGE_DIR / "postgres-prepare.sh"
GUARD = DB_IMAGE_DIR / "postgres-guard.sh"
SUPERUSER_PASSWORD = "super-'secret-1"  # a quote, to prove the SQL quoting
APP_PASSWORD = "app-secret-2"

pytestmark = pytest.mark.timeout(120)


def environment(volume: Path, **overrides: str) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{postgres_bin_dir()}:{os.environ['PATH']}",
        "PGDATA": str(volume / "pgdata"),
        "POSTGRES_USER": "postgres",
        "POSTGRES_PASSWORD": SUPERUSER_PASSWORD,
        "POSTGRES_DB": "django_tw",
        "POSTGRES_APP_USER": "django_tw",
        "POSTGRES_APP_PASSWORD": APP_PASSWORD,
        **overrides,
    }


def prepare(volume: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    """The script alone, in front of a command that only prints what it was given."""
    return subprocess.run(
        as_server_user([str(PREPARE), "echo", "postgres", "-D", str(volume / "pgdata")]),
        env=environment(volume, **overrides),
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def single_user(volume: Path, sql: str, database: str = "postgres") -> None:
    subprocess.run(
        as_server_user(
            [
                str(postgres_bin_dir() / "postgres"),
                "--single",
                "-D",
                str(volume / "pgdata"),
                database,
            ]
        ),
        input=sql,
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
    )


class Server:
    """guard -> prepare -> postgres, as the db container's entrypoint chains them."""

    def __init__(self, volume: Path) -> None:
        self.volume, self.port = volume, free_port()
        command = [str(GUARD), str(PREPARE), str(postgres_bin_dir() / "postgres")]
        command += ["-D", str(volume / "pgdata"), "-p", str(self.port), "-k", str(volume)]
        self.process = subprocess.Popen(
            as_server_user(command),
            env=environment(volume),
            cwd="/",
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 30
        while self.connect_error("django_tw", APP_PASSWORD) is not None:
            assert self.process.poll() is None, self.process.communicate()[0]
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)

    def connect(self, user: str, password: str | None, host: str = "127.0.0.1", **options):
        return psycopg.connect(
            host=host,
            port=self.port,
            user=user,
            password=password or "",
            dbname="django_tw",
            connect_timeout=5,
            **options,
        )

    def connect_error(self, user: str, password: str | None, host: str = "127.0.0.1"):
        try:
            with self.connect(user, password, host):
                return None
        except psycopg.OperationalError as error:
            return str(error)

    def stop(self) -> str:
        self.process.terminate()
        return self.process.communicate(timeout=30)[0]


@pytest.fixture
def volume():
    """A volume with a cluster as the official image's initdb leaves it: trust on loopback."""
    directory = server_owned_tempdir("django-tw-prepare-")
    initdb(directory / "pgdata")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def server(volume):
    running = Server(volume)
    yield running
    running.stop()


def hba_methods(volume: Path) -> list[str]:
    lines = (volume / "pgdata" / "pg_hba.conf").read_text().splitlines()
    return [line.split()[-1] for line in lines if line.strip() and not line.startswith("#")]


def test_trust_lines_become_scram_and_each_change_is_logged(volume):
    assert "trust" in hba_methods(volume)
    result = prepare(volume)
    assert result.returncode == 0, result.stderr
    assert set(hba_methods(volume)) == {"scram-sha-256"}
    changes = [line for line in result.stderr.splitlines() if "pg_hba.conf line" in line]
    assert len(changes) == 6  # local, 127.0.0.1, ::1; for databases and for replication
    assert any(
        line.endswith('"host all all 127.0.0.1/32 trust": trust -> scram-sha-256')
        for line in changes
    )


def test_the_server_command_gets_listen_on_127_0_0_1_appended(volume):
    result = prepare(volume)
    assert result.stdout.strip().endswith("-c listen_addresses=127.0.0.1")


def test_a_second_run_changes_nothing(volume):
    assert prepare(volume).returncode == 0
    hba = (volume / "pgdata" / "pg_hba.conf").read_bytes()
    again = prepare(volume)
    assert again.returncode == 0, again.stderr
    assert [
        line for line in again.stderr.splitlines() if line.startswith("postgres-prepare:")
    ] == []
    assert (volume / "pgdata" / "pg_hba.conf").read_bytes() == hba


def test_no_password_reaches_the_output(volume):
    result = prepare(volume)
    for secret in (SUPERUSER_PASSWORD, APP_PASSWORD):
        assert secret not in result.stdout + result.stderr


def test_without_a_password_loopback_connections_are_refused(server):
    for user in ("postgres", "django_tw"):
        assert "password authentication failed" in (server.connect_error(user, "wrong") or "")
        assert server.connect_error(user, None) is not None
    assert server.connect_error("django_tw", APP_PASSWORD) is None
    assert server.connect_error("postgres", SUPERUSER_PASSWORD) is None


def test_the_server_listens_on_127_0_0_1_only(server):
    with server.connect("postgres", SUPERUSER_PASSWORD) as connection:
        assert connection.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
    assert "Connection refused" in (server.connect_error("django_tw", APP_PASSWORD, "::1") or "")


def test_the_application_role_cannot_escape_its_database(server):
    with server.connect("django_tw", APP_PASSWORD, autocommit=True) as connection:
        for statement in (
            "COPY (SELECT 1) TO PROGRAM 'true'",
            "CREATE ROLE x",
            "CREATE DATABASE x",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
        connection.execute("CREATE TABLE notes (id bigint PRIMARY KEY)")
        connection.execute("INSERT INTO notes VALUES (1)")
        assert connection.execute("SELECT count(*) FROM notes").fetchone() == (1,)
        assert connection.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication FROM pg_roles "
            "WHERE rolname = current_user"
        ).fetchone() == (False, False, False, False)


def test_an_application_that_was_a_superuser_is_demoted_and_given_its_objects(volume):
    # The old layout: the app's role a superuser, some tables owned by it, some by postgres.
    single_user(
        volume,
        "CREATE ROLE django_tw SUPERUSER LOGIN;\nCREATE DATABASE django_tw OWNER postgres;\n",
    )
    single_user(
        volume,
        "CREATE TABLE by_postgres (id serial PRIMARY KEY);\n"
        "CREATE SCHEMA extra;\nCREATE VIEW extra.numbers AS SELECT 1 AS one;\n",
        "django_tw",
    )
    result = prepare(volume)
    assert result.returncode == 0, result.stderr
    assert "django_tw is now LOGIN NOSUPERUSER" in result.stderr
    assert "django_tw now owns the database django_tw" in result.stderr
    assert "django_tw now owns table public.by_postgres" in result.stderr
    assert "django_tw now owns view extra.numbers" in result.stderr
    server = Server(volume)
    try:
        with server.connect("django_tw", APP_PASSWORD) as connection:
            owners = connection.execute(
                "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname IN ('public', 'extra')"
            ).fetchall()
            assert owners == [("django_tw",)]
            connection.execute("INSERT INTO by_postgres DEFAULT VALUES")
    finally:
        server.stop()


def test_an_application_role_that_is_the_bootstrap_superuser_is_refused(volume):
    result = prepare(volume, POSTGRES_USER="admin", POSTGRES_APP_USER="postgres")
    assert result.returncode != 0
    assert 'the application role "postgres" is this cluster\'s bootstrap superuser' in result.stderr
    assert "Set POSTGRES_APP_USER to another name" in result.stderr
    assert result.stdout == ""  # the server was not started


def test_a_new_cluster_gets_the_same_roles_from_the_initdb_script(volume):
    """docker-entrypoint.sh runs initdb/10-django-tw-roles.sh with its temporary server up
    (socket only, PGPASSWORD exported); here a trust cluster's server stands in for it."""
    port = free_port()
    single_user(volume, "CREATE DATABASE django_tw;\n")
    postgres = subprocess.Popen(
        as_server_user(
            [
                str(postgres_bin_dir() / "postgres"),
                "-D",
                str(volume / "pgdata"),
                "-p",
                str(port),
                "-k",
                str(volume),
                "-c",
                "listen_addresses=",
            ]
        ),
        cwd="/",
        stderr=subprocess.DEVNULL,
    )
    try:
        env = environment(
            volume, PGHOST=str(volume), PGPORT=str(port), PGPASSWORD=SUPERUSER_PASSWORD
        )
        for _ in range(100):
            if subprocess.run(["pg_isready", "-q"], env=env, check=False).returncode == 0:
                break
            time.sleep(0.1)
        result = subprocess.run(
            as_server_user([str(PREPARE), "--initdb"]),
            env=env,
            cwd="/",
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert set(hba_methods(volume)) == {"scram-sha-256"}
    finally:
        postgres.terminate()
        postgres.wait(30)
    server = Server(volume)  # the real start that follows initdb
    try:
        with server.connect("django_tw", APP_PASSWORD) as connection:
            assert connection.execute(
                "SELECT pg_get_userbyid(datdba), rolsuper FROM pg_database, pg_roles "
                "WHERE datname = 'django_tw' AND rolname = 'django_tw'"
            ).fetchone() == ("django_tw", False)
    finally:
        server.stop()


def test_a_missing_database_is_created_for_the_application(volume):
    """docker-entrypoint.sh initialises only when PG_VERSION is absent: a first start killed
    after initdb leaves a cluster without POSTGRES_DB for good."""
    result = prepare(volume)
    assert "postgres-prepare: created the database django_tw, owned by django_tw" in result.stderr


def test_a_cluster_of_the_previous_major_is_refused_with_the_way_to_upgrade():
    """The server cannot start on it; the message names the upgrade instead of Postgres' FATAL."""
    old = Volume.fresh()
    try:
        old.initdb(PREVIOUS_MAJOR)
        result = prepare(old.root)
        assert result.returncode == 78, result.stderr
        assert (
            f"is a PostgreSQL {PREVIOUS_MAJOR} cluster and this server is PostgreSQL "
            f"{POSTGRES_MAJOR}: run postgres-upgrade once"
        ) in result.stderr
        assert result.stdout == ""
    finally:
        shutil.rmtree(old.root, ignore_errors=True)
