"""Where the end-to-end tests keep their logs and screenshots (artifacts/e2e/<time>/, git-ignored),
and a local db process with its S3 stand-in for the backup and restore tests.

An app's own end-to-end tests (the demo's: service/tests/e2e) run its whole topology beside
these; tests/e2e/browser.py starts the browser they drive.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from stack.paths import ARTIFACTS_DIR

if TYPE_CHECKING:
    from tests.e2e.test_backup_restore import Database


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = ARTIFACTS_DIR / "e2e" / time.strftime("%Y%m%d-%H%M%S")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def database(artifacts_dir: Path, request) -> Iterator[Database]:
    """A local db process (guard, prepare, backup step) archiving to its own S3 stand-in, with a
    probe table whose rows the backup and drill tests write and count."""
    from tests.e2e.test_backup_restore import Database

    database = Database(artifacts_dir / "logs" / request.node.name)
    database.start()
    database.query(
        "CREATE TABLE probe_tweet (id bigserial PRIMARY KEY, text text NOT NULL, "
        "created_at timestamptz NOT NULL DEFAULT clock_timestamp())"
    )
    try:
        yield database
    finally:
        database.stop()
        shutil.rmtree(database.topology.data_dir, ignore_errors=True)
