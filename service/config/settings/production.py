"""Production settings: every deployed or production-like run (ECS, docker-compose.production.yml,
the local production topology). Everything the platform decides comes from its environment
contract through django_fargate (its README lists the variables); a missing required variable
stops the process at start with ImproperlyConfigured naming it.
"""

from django_fargate.settings import platform_settings

from .base import *  # noqa: F403
from .base import MEDIA_SIGNING_MARGIN, MEDIA_SIGNING_WINDOW, content_security_policy

_platform = platform_settings(
    signing_window=MEDIA_SIGNING_WINDOW, signing_margin=MEDIA_SIGNING_MARGIN
)
globals().update(_platform)
# Images from the media bucket too (the signed URLs name it).
CONTENT_SECURITY_POLICY = content_security_policy(_platform["STORAGES"]["default"])
