"""The probes' routes: `path("", include("django_fargate.urls"))` in the project's ROOT_URLCONF.

HealthCheckMiddleware answers both paths before host validation and the HTTPS redirect; these
routes keep them reachable (and reversible by name) when the middleware is not installed.
"""

from django.urls import path

from django_fargate import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
]
