"""The platform's images, shipped with the package: ``nginx`` (the static files and the proxy
in front of gunicorn), ``db`` (Postgres on EFS with its lock guard, roles, and barman-cloud
backups), ``django_fargate`` (the platform's Django library: an installable project, and the
wheelhouse image every web image installs it from) and ``app`` (the generic web image for a
Django project without a Dockerfile of its own, built from the project's directory). A program
that imports the components builds them from here, copying nothing:

    ServiceImagesArgs(context="app", dockerfiles={"db": f"{image_dir('db')}/Dockerfile", ...},
                      contexts={"db": str(image_dir("db"))})
"""

from pathlib import Path

IMAGES_DIR = Path(__file__).resolve().parent
IMAGES = ("nginx", "db", "django_fargate", "app")


def image_dir(name: str) -> Path:
    """The directory of the platform image ``name``, its Dockerfile in it: the build context of
    each but ``app``, whose context is the project's own directory."""
    if name not in IMAGES:
        raise ValueError(f"no platform image {name!r}; there are {', '.join(IMAGES)}")
    return IMAGES_DIR / name
