"""The probes in a project that adds only what the README says (this folder's settings.py):
/healthz (readiness) answers 200 while the database does and 503 when it does not; /livez
(liveness) answers 200 without touching it. Both for any Host over plain HTTP, while every other
page keeps ALLOWED_HOSTS and the HTTPS redirect."""

from tests.components.images.django_fargate.project import get, task_environment
from tests.postgres_servers import free_port

PROBE_HOST = "10.0.12.34:8080"  # the ALB asks by the task's private IP


def test_readiness_and_liveness_answer_any_host_over_plain_http(tmp_path, database_url):
    answers = get(
        task_environment(tmp_path, database_url),
        (PROBE_HOST, "/healthz"),
        ("127.0.0.1:8000", "/livez"),
    )
    assert answers == [[200, "ok", None], [200, "ok", None]]


def test_readiness_fails_and_liveness_holds_when_the_database_is_gone(tmp_path):
    nothing_there = f"postgres://app@127.0.0.1:{free_port()}/app"
    answers = get(
        task_environment(tmp_path, nothing_there),
        (PROBE_HOST, "/healthz"),
        (PROBE_HOST, "/livez"),
    )
    assert answers == [[503, "database unavailable", None], [200, "ok", None]]


def test_other_pages_refuse_unknown_hosts_and_redirect_to_https(tmp_path, database_url):
    answers = get(
        task_environment(tmp_path, database_url),
        (PROBE_HOST, "/page/"),
        ("app.example.com", "/page/"),
    )
    assert answers[0][0] == 400
    assert answers[1] == [301, "", "https://app.example.com/page/"]


def test_the_routes_answer_where_the_middleware_is_left_out(tmp_path, database_url):
    # The urls include alone, as a project without the middleware gets it (for a known host).
    environment = task_environment(tmp_path, database_url, DJANGO_HTTPS="false")
    environment["DJANGO_SETTINGS_MODULE"] = (
        "tests.components.images.django_fargate.settings_without_middleware"
    )
    answers = get(environment, ("app.example.com", "/healthz"), ("app.example.com", "/livez"))
    assert answers == [[200, "ok", None], [200, "ok", None]]
