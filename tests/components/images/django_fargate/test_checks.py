"""`manage.py check` names what the probes need: HealthCheckMiddleware first in MIDDLEWARE."""

from tests.components.images.django_fargate.project import django, task_environment


def test_the_tiny_project_passes_every_check(tmp_path):
    result = django(task_environment(tmp_path, "postgres://app@127.0.0.1:9/app"), "check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_project_without_the_middleware_first_is_told_where_to_put_it(tmp_path):
    environment = task_environment(tmp_path, "postgres://app@127.0.0.1:9/app")
    environment["DJANGO_SETTINGS_MODULE"] = (
        "tests.components.images.django_fargate.settings_middleware_second"
    )
    result = django(environment, "check")
    assert result.returncode != 0
    assert "django_fargate.E001" in result.stderr
    assert 'Put "django_fargate.middleware.HealthCheckMiddleware" first in MIDDLEWARE' in (
        result.stderr
    )
