"""config.settings.test with the timeline cache on, as production has it (60 s)."""

from config.settings.test import *  # noqa: F403

TIMELINE_CACHE_SECONDS = 60
