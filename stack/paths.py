"""Where things are in this checkout: the one definition every part outside the library uses.

The component library (`components/`) never needs these: it is installed into other projects.
The Django service (`service/`) runs from its own directory, in its image as in `make local`.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SERVICE_DIR = REPO_ROOT / "service"
# Logs, screenshots and reports of test and benchmark runs (git-ignored).
ARTIFACTS_DIR = REPO_ROOT / "artifacts"
# The platform's images and their scripts, shipped inside the component package.
DB_IMAGE_DIR = REPO_ROOT / "components" / "images" / "db"
NGINX_IMAGE_DIR = REPO_ROOT / "components" / "images" / "nginx"
