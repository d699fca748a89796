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
# The platform's Django library (django_fargate): its project (pyproject.toml, the wheelhouse
# image's Dockerfile) and the source directory an uninstalled checkout imports it from.
DJANGO_FARGATE_DIR = REPO_ROOT / "components" / "images" / "django_fargate"
DJANGO_FARGATE_SRC = DJANGO_FARGATE_DIR / "src"
