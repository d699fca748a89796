"""The smallest Django project on the platform: what django_fargate's README asks an app to add,
and nothing else. The tests give it the environment a task would."""

from django_fargate.settings import platform_settings

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.staticfiles",
    "django_fargate",
]
MIDDLEWARE = [
    "django_fargate.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = "tests.components.images.django_fargate.urls"
USE_TZ = True
STATIC_URL = "static/"

globals().update(platform_settings())
