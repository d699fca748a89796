"""The tiny project without HealthCheckMiddleware: only the urls include answers the probes."""

from tests.components.images.django_fargate.settings import *  # noqa: F403

MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("django_fargate.")]  # noqa: F405
SILENCED_SYSTEM_CHECKS = ["django_fargate.E001"]
