"""What docs/screens/ was taken from: the hash of every template and stylesheet when `make
screens` last ran. service/tests/test_screens.py compares it with the checkout, so a change to
how
the pages look without new screenshots fails the tests.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from stack.paths import REPO_ROOT, SERVICE_DIR

SCREENS_DIR = REPO_ROOT / "docs" / "screens"
MANIFEST = SCREENS_DIR / "manifest.json"
# What decides how a page looks: every template and every stylesheet of the service.
SOURCE_GLOBS = ("templates/**/*.html", "static/**/*.css")


def look_sources(service_dir: Path = SERVICE_DIR) -> dict[str, str]:
    """Each template and stylesheet (path relative to the repository) -> its SHA-256."""
    found = {}
    for pattern in SOURCE_GLOBS:
        for path in sorted(service_dir.glob(pattern)):
            key = path.relative_to(service_dir.parent).as_posix()
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(found.items()))


def write_manifest(screens: list[str], manifest: Path = MANIFEST) -> None:
    manifest.write_text(
        json.dumps({"sources": look_sources(), "screens": sorted(screens)}, indent=2) + "\n"
    )


def stale_sources(recorded: dict[str, str], current: dict[str, str]) -> list[str]:
    """The templates and stylesheets added, changed or removed since the screenshots."""
    return sorted(
        path for path in recorded.keys() | current.keys() if recorded.get(path) != current.get(path)
    )
