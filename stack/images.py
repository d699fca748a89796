"""The task's images: the app's web image (its directory, its Dockerfile or the generic one) and
the platform's nginx and db images, shipped in the component package (components/images/)."""

from typing import Any

from components import ServiceImagesArgs
from components.fargate.service import ARM64
from stack.app import DEMO_APP, AppSettings
from stack.contract import DB

# The images: the app's (web, from its code directory) and the platform's two, each built from
# its own directory of the component package (components/images/), nginx from the web image's
# static files.
IMAGE_CONTEXT = DEMO_APP.path
PLATFORM_IMAGES = {"nginx": "components/images/nginx", "db": "components/images/db"}
DOCKERFILES = {
    "nginx": f"{PLATFORM_IMAGES['nginx']}/Dockerfile",
    "web": DEMO_APP.dockerfile,
    "db": f"{PLATFORM_IMAGES['db']}/Dockerfile",
}
# The nginx image's build argument naming the image it copies /var/www/static from.
STATIC_IMAGE_ARG = "STATIC_IMAGE"


def image_args(
    cpu_architecture: str,
    production: bool,
    managed_database: bool = False,
    app: AppSettings = DEMO_APP,
) -> ServiceImagesArgs:
    """The images, built for the task's CPU architecture (``X86_64`` or ``ARM64``): all three,
    or nginx and web when a managed database runs Postgres. web is the app's (its directory,
    its Dockerfile or the generic one with its modules as build args); nginx and db are the
    platform's. A production stack keeps its repositories' images when it is destroyed."""
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
        built_from={"nginx": {STATIC_IMAGE_ARG: "web"}},
    )


def images_of(settings: Any) -> ServiceImagesArgs:
    """The images of a stack (its ``StackSettings``): :func:`image_args` of its settings."""
    return image_args(
        settings.cpu_architecture, settings.is_production, settings.managed_database, settings.app
    )
