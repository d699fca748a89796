"""Settings for the image builds' one Django step: collectstatic (service/collect-static.sh).

Both images run it at build time, the web image for the manifest Django reads and the nginx image
for the files it serves, so the two hold the same hashed names. Nothing here reaches a database,
a secret or an AWS service: a build has none of them.
"""

from secrets import token_urlsafe

from .base import *  # noqa: F403
from .base import HASHED_STATIC_FILES, env

DEBUG = False
# Django wants one; collectstatic signs nothing, so a throwaway value per build.
SECRET_KEY = token_urlsafe(50)
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": HASHED_STATIC_FILES,
}
