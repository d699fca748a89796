"""The platform's images, shipped with the package: ``nginx`` (the static files and the proxy
in front of gunicorn) and ``db`` (Postgres on EFS with its lock guard, roles, and barman-cloud
backups). A program that imports the components builds them from here, copying nothing:

    ServiceImagesArgs(context="app", dockerfiles={"db": f"{image_dir('db')}/Dockerfile", ...},
                      contexts={"db": str(image_dir("db"))})
"""

from pathlib import Path

IMAGES_DIR = Path(__file__).resolve().parent
IMAGES = ("nginx", "db")


def image_dir(name: str) -> Path:
    """The build context of the platform image ``name`` (its Dockerfile is in it)."""
    if name not in IMAGES:
        raise ValueError(f"no platform image {name!r}; there are {', '.join(IMAGES)}")
    return IMAGES_DIR / name
