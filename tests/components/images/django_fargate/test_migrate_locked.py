"""`manage.py migrate_locked` (the release step): `migrate` under a PostgreSQL advisory lock, so
tasks that start together apply the migrations once; the others wait, then find nothing to do."""

import subprocess
import sys
import time

import psycopg

from django_fargate.management.commands.migrate_locked import MIGRATION_LOCK_KEY
from stack.paths import REPO_ROOT
from tests.components.images.django_fargate.project import django, task_environment


def test_migrate_applies_the_migrations_and_lets_the_lock_go(tmp_path, database_url):
    result = django(task_environment(tmp_path, database_url), "migrate_locked", "--noinput")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Migration lock acquired." in result.stdout
    assert "Applying auth.0001_initial... OK" in result.stdout
    with psycopg.connect(database_url, autocommit=True) as other_task:
        held = other_task.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
        ).fetchone()[0]
        assert held == 0
        applied = other_task.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
        assert applied > 0


def test_migrate_waits_while_another_task_holds_the_lock(tmp_path, database_url):
    environment = task_environment(tmp_path, database_url)
    with psycopg.connect(database_url, autocommit=True) as other_task:
        other_task.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
        migrating = subprocess.Popen(
            [sys.executable, "-m", "django", "migrate_locked", "--noinput"],
            cwd=REPO_ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            time.sleep(3)
            assert migrating.poll() is None, migrating.stdout.read()
            waiting = other_task.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            ).fetchone()[0]
            assert waiting == 1
            tables = other_task.execute(
                "SELECT count(*) FROM pg_tables WHERE tablename = 'django_migrations'"
            ).fetchone()[0]
            assert tables == 0  # nothing migrated while it waits
        finally:
            other_task.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
        output, _ = migrating.communicate(timeout=60)
    assert migrating.returncode == 0, output
    assert "Migration lock acquired." in output


def test_the_lock_is_the_one_the_platforms_earlier_images_took():
    # A rolling deployment runs old and new tasks together: both must wait on one lock.
    assert int.from_bytes(b"djangotw", "big") == MIGRATION_LOCK_KEY


def test_a_database_without_advisory_locks_is_refused_with_what_to_run_instead(tmp_path):
    environment = task_environment(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = django(environment, "migrate_locked", "--noinput")
    assert result.returncode != 0
    assert "Run plain `manage.py migrate` instead." in result.stderr
