"""The demo's settings module (config.settings.production: its own lines, base.py's and the
platform library's) reads every variable the web container's contract gives Django, and only
those."""

import re

from stack.contract import WEB
from stack.paths import SERVICE_DIR
from tests.stack.test_contract import PLATFORM_SETTINGS, names_read_by

SETTINGS_DIR = SERVICE_DIR / "config" / "settings"
# What the production settings module executes: its own lines, base.py's and the library's.
PRODUCTION_SETTINGS = (SETTINGS_DIR / "production.py", SETTINGS_DIR / "base.py", PLATFORM_SETTINGS)


def names_read_by_settings() -> set[str]:
    return names_read_by(PRODUCTION_SETTINGS)


def test_the_production_settings_read_every_web_variable_for_django():
    for_django = {v.name for v in WEB.variables if v.read_by.startswith("settings.")}
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "AWS_STORAGE_BUCKET_NAME"} <= for_django
    assert for_django - names_read_by_settings() == set()


def test_every_variable_the_production_settings_read_is_in_the_contract():
    read = names_read_by_settings()
    assert read - WEB.names == set()
    for name in read:
        assert WEB.variable(name).read_by.startswith("settings."), name


def test_the_settings_a_web_variable_names_exist():
    text = "\n".join(path.read_text() for path in PRODUCTION_SETTINGS)
    for variable in WEB.variables:
        if variable.read_by.startswith("settings."):
            for setting in re.findall(r"settings\.([A-Z_]+)", variable.read_by):
                # Assigned by the project's modules, or a key of the library's settings.
                assigned = rf'^{setting} = |^\s*"{setting}": '
                assert re.search(assigned, text, re.MULTILINE), (variable.name, setting)
