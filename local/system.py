"""Facts about this machine and checkout that every part of the local topology shares."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class LocalSetupError(RuntimeError):
    """Something on this machine stops the local topology from starting; the message says what."""


def running_as_root() -> bool:
    return os.geteuid() == 0
