"""`manage.py migrate_locked` waits for the migration lock that another task holds."""

import os
import subprocess
import sys
import time

import psycopg
import pytest
from django.conf import settings

from core.management.commands.migrate_locked import MIGRATION_LOCK_KEY
from stack.paths import SERVICE_DIR

pytestmark = pytest.mark.django_db


def test_migrate_waits_while_another_process_holds_the_lock():
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    environment["DATABASE_URL"] = url

    with psycopg.connect(url, autocommit=True) as other_task:
        other_task.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
        migrating = subprocess.Popen(
            [sys.executable, "manage.py", "migrate_locked", "--noinput"],
            cwd=SERVICE_DIR,
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
        finally:
            other_task.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
        output, _ = migrating.communicate(timeout=60)

    assert migrating.returncode == 0, output
    assert "Migration lock acquired." in output
    assert "No migrations to apply." in output
