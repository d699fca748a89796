from django.apps import AppConfig


class DjangoFargateConfig(AppConfig):
    """The platform's side of a Django project: health views, `migrate_locked`, system checks."""

    name = "django_fargate"
    verbose_name = "Platform: health checks, locked migrations"

    def ready(self) -> None:
        # Registered on import (django.core.checks.register as a decorator).
        from django_fargate import checks  # noqa: F401
