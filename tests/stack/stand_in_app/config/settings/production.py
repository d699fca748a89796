"""The stand-in app's settings: Django's own apps, then the platform's from the task's
environment (django_fargate), as a team's project has them."""

from django_fargate.settings import platform_settings

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django_fargate",
]
MIDDLEWARE = [
    "django_fargate.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
STATIC_URL = "static/"
USE_TZ = True

globals().update(platform_settings())
