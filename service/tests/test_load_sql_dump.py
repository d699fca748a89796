"""`manage.py load_sql_dump`: a plain pg_dump loaded without psql, as the application role, in
one transaction (the move to RDS, docs/operations.md; service/tests/test_move_to_rds.py runs
the whole move)."""

import subprocess
import sys

import psycopg
import pytest

from service.tests.app_servers import fresh_database, service_environment
from service.tests.conftest import MEDIA_BUCKET, MEDIA_REGION
from stack.paths import SERVICE_DIR

TABLES = "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1"


def load(database_url: str, *arguments: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "load_sql_dump", *arguments],
        cwd=SERVICE_DIR,
        env={**service_environment(database_url), **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def database(postgresql_server):
    with fresh_database(postgresql_server.host, postgresql_server.port) as url:
        yield url


def tables(url: str) -> list[str]:
    with psycopg.connect(url) as connection:
        return [row[0] for row in connection.execute(TABLES)]


def test_psql_meta_commands_are_left_out_and_the_sql_runs(database, tmp_path):
    dump = tmp_path / "dump.sql"
    dump.write_text(
        "\\restrict abc123\n"
        "SET client_encoding = 'UTF8';\n"
        "CREATE TABLE public.kept (id integer, note text);\n"
        "INSERT INTO public.kept VALUES (1, '50% off; a\\b');\n"
        "\\unrestrict abc123\n"
    )
    result = load(database, str(dump))
    assert result.returncode == 0, result.stderr
    with psycopg.connect(database) as connection:
        assert connection.execute("SELECT * FROM kept").fetchall() == [(1, "50% off; a\\b")]


def test_the_dump_is_read_from_the_media_bucket(database, s3_endpoint, s3_client):
    s3_client.put_object(
        Bucket=MEDIA_BUCKET, Key="move/move.sql", Body=b"CREATE TABLE public.from_s3 (id int);\n"
    )
    # boto3 takes a service's endpoint from AWS_ENDPOINT_URL_S3; in AWS it finds S3 itself.
    result = load(
        database,
        f"s3://{MEDIA_BUCKET}/move/move.sql",
        AWS_ENDPOINT_URL_S3=s3_endpoint,
        AWS_S3_REGION_NAME=MEDIA_REGION,
    )
    assert result.returncode == 0, result.stderr
    assert tables(database) == ["from_s3"]


def test_a_schema_that_holds_tables_is_replaced_only_when_asked(database, tmp_path):
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("CREATE TABLE migrated (id int)")
    dump = tmp_path / "dump.sql"
    dump.write_text("CREATE TABLE public.restored (id int);\n")

    refused = load(database, str(dump))
    assert refused.returncode != 0
    assert "pass --replace" in refused.stderr
    assert tables(database) == ["migrated"]

    assert load(database, "--replace", str(dump)).returncode == 0
    assert tables(database) == ["restored"]


def test_a_failed_load_changes_nothing(database, tmp_path):
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("CREATE TABLE migrated (id int)")
    dump = tmp_path / "dump.sql"
    dump.write_text("CREATE TABLE public.half (id int);\nINSERT INTO public.nowhere VALUES (1);\n")
    result = load(database, "--replace", str(dump))
    assert result.returncode != 0
    assert tables(database) == ["migrated"]


def test_a_dump_with_copy_blocks_is_refused_with_what_to_do(database, tmp_path):
    dump = tmp_path / "dump.sql"
    dump.write_text("COPY public.kept (id) FROM stdin;\n1\n\\.\n")
    result = load(database, str(dump))
    assert result.returncode != 0
    assert "make it with pg_dump --inserts" in result.stderr
