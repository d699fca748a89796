"""The move from `database: efs` to `database: rds` (docs/operations.md): a logical dump of the
database in the task, restored into a second PostgreSQL that stands in for RDS (an administrator
that is not a superuser, the application role made by django_fargate.rds_app_role as the web
task's db-init container makes it), serves the same users and tweets, and takes new ones."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest

from service.tests.app_servers import app_server, fresh_database, manage, migrate
from stack.paths import DJANGO_FARGATE_SRC
from tests.postgres_servers import running_server
from tools.local.client import SiteClient
from tools.local.postgres_server import postgres_bin_dir

PASSWORD = "correct-horse-battery-staple-42"
APP_PASSWORD = "a" * 40
SEED = f"""
from django.contrib.auth import get_user_model
from accounts.models import Follow
from tweets.models import Like, Tweet
User = get_user_model()
alice = User.objects.create_user("alice", "alice@example.com", "{PASSWORD}")
bob = User.objects.create_user("bob", "bob@example.com", "{PASSWORD}")
Follow.objects.create(follower=alice, followee=bob)
first = Tweet.objects.create(author=bob, text="bob before the move")
Tweet.objects.create(author=alice, text="alice before the move", reply_to=first)
Like.objects.create(user=alice, tweet=first)
"""
TWEETS = (
    "SELECT u.username, t.text, t.reply_to_id IS NOT NULL FROM tweets_tweet t "
    "JOIN auth_user u ON u.id = t.author_id ORDER BY t.id"
)


@pytest.fixture(scope="module")
def rds_stand_in():
    """A second server: the instance the stack's RdsPostgres would create."""
    with running_server("django-tw-test-rds-", "postgres", "-c fsync=off") as executor:
        yield executor


def run(*command: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def prepare_like_rds(server) -> str:
    """The master user and the database RDS creates, then the application role; its URL."""
    root = f"postgres://postgres@{server.host}:{server.port}/postgres"
    with psycopg.connect(root, autocommit=True) as connection:
        connection.execute("CREATE ROLE rds_admin LOGIN CREATEROLE CREATEDB")
        connection.execute("CREATE DATABASE django_tw OWNER rds_admin")
    # The db-init container's command, with the variables the task gives it.
    result = subprocess.run(
        [sys.executable, "-m", "django_fargate.rds_app_role"],
        env={
            "PATH": os.environ["PATH"],
            "PYTHONPATH": str(DJANGO_FARGATE_SRC),
            "PGHOST": server.host,
            "PGPORT": str(server.port),
            "PGDATABASE": "django_tw",
            "PGUSER": "rds_admin",
            "PGPASSWORD": "trusted-here",
            "PGSSLMODE": "disable",
            "APP_DB_USER": "django_tw",
            "APP_DB_PASSWORD": APP_PASSWORD,
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return f"postgres://django_tw@{server.host}:{server.port}/django_tw"


def test_a_dump_restored_into_rds_serves_the_same_tweets(postgresql_server, rds_stand_in, tmp_path):
    with fresh_database(postgresql_server.host, postgresql_server.port) as source:
        migrate(source)
        manage(source, "shell", "-c", SEED)
        dump = tmp_path / "django_tw.sql"
        # The runbook's commands: a plain dump of INSERTs without owners or grants, which the
        # web image loads without psql, and in which every object becomes the application
        # role's.
        run(
            str(postgres_bin_dir() / "pg_dump"),
            "--format=plain", "--inserts", "--no-owner", "--no-privileges", f"--file={dump}",
            source,
        )  # fmt: skip
        with psycopg.connect(source) as connection:
            before = connection.execute(TWEETS).fetchall()

    target = prepare_like_rds(rds_stand_in)
    migrate(target)  # the new stack's first tasks migrated the empty database
    # In a web container (ECS Exec): as the application role, over DATABASE_URL.
    assert "load_sql_dump: loaded" in manage(target, "load_sql_dump", "--replace", str(dump))

    with psycopg.connect(target) as connection:
        assert connection.execute(TWEETS).fetchall() == before
        owners = connection.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class "
            "WHERE relnamespace = 'public'::regnamespace"
        ).fetchall()
    assert owners == [("django_tw",)]
    assert "No migrations to apply." in migrate(target)

    with app_server(target) as url:
        alice = SiteClient(url, https=False)
        alice.log_in("alice", PASSWORD)  # the password hashes moved with the users
        home = alice.get("/").text
        assert "bob before the move" in home
        assert "alice before the move" in home
        assert alice.post_tweet("alice after the move").status_code in (302, 303)
        assert "alice after the move" in alice.get("/explore/").text
