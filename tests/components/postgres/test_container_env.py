"""The db container's contract as pure functions: names, roles, archive settings, the URL."""

from __future__ import annotations

from urllib.parse import urlsplit

import pulumi
import pytest

from components.postgres.container_env import (
    INITDB_ARGS,
    SUPERUSER,
    WalArchive,
    database_url,
    db_environment,
    parse_time_of_day,
)
from stack.paths import DB_IMAGE_DIR
from tools.offline import run_program

ARCHIVE = WalArchive(destination_url="s3://b/postgres", region="us-east-1")


def test_environment_names_are_the_contract_of_the_db_scripts():
    env = db_environment(database_name="app", app_user="app_user", pgdata="/d/p", archive=ARCHIVE)
    assert env == {
        "POSTGRES_USER": "postgres",
        "POSTGRES_DB": "app",
        "POSTGRES_APP_USER": "app_user",
        "POSTGRES_INITDB_ARGS": "--auth-host=scram-sha-256 --auth-local=scram-sha-256",
        "PGDATA": "/d/p",
        "BACKUP_DESTINATION_URL": "s3://b/postgres",
        "BACKUP_SERVER_NAME": "postgres",
        "BACKUP_RETENTION_DAYS": "14",
        "BASE_BACKUP_TIME": "17:00",
        "ARCHIVE_TIMEOUT_SECONDS": "60",
        "AWS_DEFAULT_REGION": "us-east-1",
        "DB_SIGNALS_NAMESPACE": "django-tw/database",
        "DB_SIZE_BUDGET_BYTES": str(20 * 2**30),
    }
    assert all(isinstance(value, str) for value in env.values())


def test_the_db_signals_follow_the_archive_and_an_empty_namespace_turns_them_off():
    budget = WalArchive(destination_url="s3://b/p", region="us-east-1", size_budget_gib=3)
    env = db_environment(database_name="app", app_user="a", pgdata="/d", archive=budget)
    assert env["DB_SIZE_BUDGET_BYTES"] == str(3 * 2**30)
    off = WalArchive(destination_url="s3://b/p", region="us-east-1", signals_namespace="")
    env = db_environment(database_name="app", app_user="a", pgdata="/d", archive=off)
    assert "DB_SIGNALS_NAMESPACE" not in env
    assert "DB_SIZE_BUDGET_BYTES" not in env


def test_the_signals_namespace_is_the_one_the_db_image_defaults_to():
    source = (DB_IMAGE_DIR / "db_signals.py").read_text()
    assert f'DEFAULT_NAMESPACE = "{WalArchive.signals_namespace}"' in source


def test_initdb_makes_both_local_and_host_connections_prove_a_password():
    assert SUPERUSER == "postgres"
    assert "--auth-host=scram-sha-256" in INITDB_ARGS.split()
    assert "--auth-local=scram-sha-256" in INITDB_ARGS.split()
    assert "trust" not in INITDB_ARGS


def test_database_url_points_at_the_loopback_address_not_localhost():
    def program() -> None:
        pulumi.export("url", database_url("app_user", pulumi.Output.secret("s3cr3t"), "app"))

    url = urlsplit(run_program(program, config={"aws:region": "us-east-1"}).outputs["url"])
    assert (url.scheme, url.username, url.password) == ("postgres", "app_user", "s3cr3t")
    assert (url.hostname, url.port, url.path) == ("127.0.0.1", 5432, "/app")


@pytest.mark.parametrize(
    ("text", "expected"), [("00:00", (0, 0)), ("17:00", (17, 0)), ("23:59", (23, 59))]
)
def test_time_of_day_is_parsed(text, expected):
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["24:00", "7:00", "17:60", "17.00", "", "1020"])
def test_a_bad_time_of_day_is_refused(text):
    with pytest.raises(ValueError, match=r"HH:MM on a 24-hour clock"):
        parse_time_of_day(text)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"retention_days": 0}, r"WalArchive.retention_days is 0; use 1..3650"),
        ({"base_backup_time": "25:00"}, r"WalArchive.base_backup_time: '25:00' is not"),
        ({"archive_timeout_seconds": 5}, r"archive_timeout_seconds is 5; use 10..3600"),
        ({"server_name": "Main DB"}, r"WalArchive.server_name 'Main DB'"),
        ({"region": ""}, r"WalArchive.region is empty"),
        ({"signals_namespace": "AWS/RDS"}, r"signals_namespace 'AWS/RDS': use your own"),
        ({"signals_namespace": "a b"}, r"signals_namespace 'a b'"),
        ({"size_budget_gib": 0}, r"WalArchive.size_budget_gib is 0; use 1..65536"),
    ],
)
def test_bad_archive_args_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        WalArchive(**{"destination_url": "s3://b/p", "region": "us-east-1", **kwargs})
