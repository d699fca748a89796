"""The task's images: the app's web image (its directory, its Dockerfile or the generic one) and
the platform's nginx and db images and the wheelhouse of its Django library, shipped in the
component package (components/images/)."""

from collections.abc import Mapping
from typing import Any, TypeVar

from components import ServiceImagesArgs
from components.fargate.service import ARM64
from stack.app import DEMO_APP, AppSettings
from stack.contract import DB

# The images: the app's (web, from its code directory) and the platform's, each built from its
# own directory of the component package (components/images/): nginx from the web image's static
# files, and the web image from the Django library's wheelhouse. The wheelhouse is an image
# because each image has one build context (awsx.ecr.Image, no named extra contexts) and the
# app's directory cannot see the library's; an image's URI passes as a build argument.
IMAGE_CONTEXT = DEMO_APP.path
WHEELHOUSE = "django-fargate"
PLATFORM_IMAGES = {
    "nginx": "components/images/nginx",
    "db": "components/images/db",
    WHEELHOUSE: "components/images/django_fargate",
}
DOCKERFILES = {
    "nginx": f"{PLATFORM_IMAGES['nginx']}/Dockerfile",
    "web": DEMO_APP.dockerfile,
    "db": f"{PLATFORM_IMAGES['db']}/Dockerfile",
    WHEELHOUSE: f"{PLATFORM_IMAGES[WHEELHOUSE]}/Dockerfile",
}
# The nginx image's build argument naming the image it copies /var/www/static from.
STATIC_IMAGE_ARG = "STATIC_IMAGE"
# The web image's build argument naming the wheelhouse it installs django_fargate from (/wheels).
DJANGO_FARGATE_IMAGE_ARG = "DJANGO_FARGATE_IMAGE"
T = TypeVar("T")


def image_args(
    cpu_architecture: str,
    production: bool,
    managed_database: bool = False,
    app: AppSettings = DEMO_APP,
) -> ServiceImagesArgs:
    """The images, built for the task's CPU architecture (``X86_64`` or ``ARM64``): all four,
    or all but db when a managed database runs Postgres. web is the app's (its directory, its
    Dockerfile or the generic one with its modules as build args); nginx, db and the library's
    wheelhouse (no container runs it) are the platform's. A production stack keeps its
    repositories' images when it is destroyed."""
    platform = "linux/arm64" if cpu_architecture == ARM64 else "linux/amd64"
    dockerfiles = {
        container: app.dockerfile if container == "web" else dockerfile
        for container, dockerfile in DOCKERFILES.items()
        if not (managed_database and container == DB.container)
    }
    return ServiceImagesArgs(
        app.path,
        dockerfiles,
        platform,
        force_delete=not production,
        contexts={name: PLATFORM_IMAGES[name] for name in dockerfiles if name in PLATFORM_IMAGES},
        image_build_args={"web": app.build_args} if app.build_args else {},
        built_from={
            "nginx": {STATIC_IMAGE_ARG: "web"},
            "web": {DJANGO_FARGATE_IMAGE_ARG: WHEELHOUSE},
        },
    )


def pulled_by_the_task(repository_arns: Mapping[str, T]) -> list[T]:
    """The repositories the task's execution role may pull from: every image a container runs,
    not the wheelhouse, which only other image builds read."""
    return [arn for image, arn in repository_arns.items() if image != WHEELHOUSE]


def images_of(settings: Any) -> ServiceImagesArgs:
    """The images of a stack (its ``StackSettings``): :func:`image_args` of its settings."""
    return image_args(
        settings.cpu_architecture, settings.is_production, settings.managed_database, settings.app
    )
