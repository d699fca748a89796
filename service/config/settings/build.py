"""Settings for the image builds' one Django step: collectstatic (service/collect-static.sh).

Both images run it at build time, the web image for the manifest Django reads and the nginx image
for the files it serves, so the two hold the same hashed names. Nothing here reaches a database,
a secret or an AWS service: a build has none of them (django_fargate.settings.build_settings).
"""

from django_fargate.settings import build_settings

from .base import *  # noqa: F403

globals().update(build_settings())
