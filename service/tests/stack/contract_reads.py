"""What the demo's production settings module reads from the environment."""

from stack.paths import SERVICE_DIR
from tests.stack.test_contract import ENV_READ, PLATFORM_SETTINGS

SETTINGS_DIR = SERVICE_DIR / "config" / "settings"
# What the production settings module executes: its own lines, base.py's and the library's.
PRODUCTION_SETTINGS = (SETTINGS_DIR / "production.py", SETTINGS_DIR / "base.py", PLATFORM_SETTINGS)


def names_read_by_settings() -> set[str]:
    return {name for path in PRODUCTION_SETTINGS for name in ENV_READ.findall(path.read_text())}
