"""The stand-in app (tests/stack/stand_in_app), which the platform's tests put in each shipped
stack's app slot: the same swap in process and in the file the command lines read, every other
setting untouched, and a Django project the slot and Django itself accept."""

import json
import os
import subprocess
import sys

import pytest

from stack.app import GENERIC_DOCKERFILE, parse_app
from stack.paths import DJANGO_FARGATE_SRC, REPO_ROOT
from stack.settings import read_stack_file
from tests.stack_runs import STAND_IN_APP, stack_config, stand_in_stack_file


@pytest.mark.parametrize("stack", ["prod", "dev", "scale"])
def test_the_file_the_command_lines_read_says_what_the_tests_run(stack):
    in_process = stack_config(stack)
    from_file = read_stack_file(stack, config_file=stand_in_stack_file(stack))
    assert {k: v for k, v in from_file.items() if k != "app"} == {
        k: v for k, v in in_process.items() if k != "app"
    }
    assert json.loads(from_file["app"]) == json.loads(in_process["app"])


@pytest.mark.parametrize("stack", ["prod", "dev", "scale"])
def test_only_the_apps_directory_changes(stack):
    shipped = json.loads(read_stack_file(stack).get("app") or "{}")
    swapped = json.loads(stack_config(stack)["app"])
    assert swapped.pop("path") == STAND_IN_APP
    shipped.pop("path", None)
    shipped.pop("dockerfile", None)
    assert swapped == shipped
    assert {k: v for k, v in stack_config(stack).items() if k != "app"} == {
        k: v for k, v in read_stack_file(stack).items() if k != "app"
    }


def test_the_slot_takes_it_and_builds_it_with_the_generic_image():
    app = parse_app(stack_config("prod")["app"])
    assert app.path == STAND_IN_APP
    assert app.dockerfile == GENERIC_DOCKERFILE
    assert app.build_args == {
        "WSGI_MODULE": "config.wsgi",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
    }


def test_django_accepts_it_as_the_generic_image_builds_it(tmp_path):
    """`manage.py check` with the settings the image's build step reads (no database, no
    secrets): what the generic image runs before it collects the static files."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_FARGATE_BUILD="1", PYTHONPATH=str(DJANGO_FARGATE_SRC))
    env.update(DJANGO_STATIC_ROOT=str(tmp_path / "static"))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO_ROOT / STAND_IN_APP,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
