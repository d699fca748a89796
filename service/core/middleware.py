"""Answer GET /healthz before any other middleware runs.

The load balancer probes each task by its private IP over plain HTTP. Anywhere later in the
chain that request would meet ALLOWED_HOSTS (DisallowedHost -> 400) and the HTTPS redirect
(-> 301), and the target would never become healthy. Answering first also keeps the probe
out of sessions and CSRF.
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.health import health_response

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
