"""The tiny project's URLs: the platform's probes and one page of its own."""

from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("", include("django_fargate.urls")),
    path("page/", lambda request: HttpResponse("a page"), name="page"),
]
