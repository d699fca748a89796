"""The tiny project with HealthCheckMiddleware after SecurityMiddleware (its HTTPS redirect)."""

from tests.components.images.django_fargate.settings import *  # noqa: F403

MIDDLEWARE = [MIDDLEWARE[1], MIDDLEWARE[0], *MIDDLEWARE[2:]]  # noqa: F405
