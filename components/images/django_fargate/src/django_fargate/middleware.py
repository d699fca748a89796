"""Answer GET /healthz and GET /livez before any other middleware runs: first in MIDDLEWARE.

The load balancer probes each task by its private IP over plain HTTP (/healthz), and the
container health check probes gunicorn on 127.0.0.1 (/livez). Anywhere later in the chain those
requests would meet ALLOWED_HOSTS (DisallowedHost -> 400) and the HTTPS redirect (-> 301), and
the target would never become healthy. Answering first also keeps the probes out of sessions,
CSRF and authentication, so /livez never reaches the database.
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from django_fargate.health import HEALTH_PATH, LIVENESS_PATH, health_response, liveness_response

PROBES: dict[str, Callable[[], HttpResponse]] = {
    HEALTH_PATH: health_response,
    LIVENESS_PATH: liveness_response,
}


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe()
        return self.get_response(request)
