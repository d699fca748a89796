"""System checks (`manage.py check`): what the platform's probes need from a project's settings.
https://docs.djangoproject.com/en/5.2/topics/checks/"""

from django.conf import settings
from django.core.checks import Error, register

MIDDLEWARE = "django_fargate.middleware.HealthCheckMiddleware"


@register()
def health_check_middleware_first(app_configs, **kwargs) -> list[Error]:
    """The load balancer probes /healthz with the task's IP as Host over plain HTTP: any
    middleware before this one may refuse the host or redirect, and the target never becomes
    healthy."""
    middleware = list(getattr(settings, "MIDDLEWARE", []))
    if middleware[:1] == [MIDDLEWARE]:
        return []
    return [
        Error(
            f"{MIDDLEWARE} is not the first entry of MIDDLEWARE",
            hint=f'Put "{MIDDLEWARE}" first in MIDDLEWARE: the probes must be answered before '
            "host validation and the HTTPS redirect.",
            id="django_fargate.E001",
        )
    ]
