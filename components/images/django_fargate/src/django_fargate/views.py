from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from django_fargate.health import health_response, liveness_response


@login_not_required
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return health_response()


@login_not_required
@require_safe
def livez(request: HttpRequest) -> HttpResponse:
    return liveness_response()
