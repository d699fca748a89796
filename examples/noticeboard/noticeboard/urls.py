"""The site's URLs: the boards, and Django's admin for the moderators."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("notices.urls")),
]
