"""tools/local/app.py: `make local APP=<dir>` runs any Django project's directory; without APP,
the demo in service/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from stack.contract import WEB
from stack.paths import REPO_ROOT, SERVICE_DIR
from tools.local.app import LocalApp, check_requirements, required_distributions
from tools.local.ports import Ports
from tools.local.system import LocalSetupError
from tools.local.topology import APPS_DATA_DIR, DEFAULT_DATA_DIR, LocalTopology

MANAGE = """import os, sys
def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
"""


def startproject(root: Path) -> Path:
    """`django-admin startproject mysite` as far as the local runner reads it."""
    code = root / "mysite"
    (code / "mysite").mkdir(parents=True)
    (code / "manage.py").write_text(MANAGE)
    for module in ("__init__", "settings", "wsgi"):
        (code / "mysite" / f"{module}.py").write_text("")
    return code


def test_without_app_the_demo_runs_with_its_production_settings():
    app = LocalApp.from_environment({})
    assert app == LocalApp.demo()
    assert app.directory == SERVICE_DIR
    assert app.is_demo
    assert (app.settings_module, app.wsgi) == (
        "config.settings.production",
        "config.wsgi:application",
    )
    assert LocalApp.from_environment({"APP": "service"}) == app


def test_an_app_runs_the_settings_its_manage_py_names_and_its_package_s_wsgi(tmp_path):
    code = startproject(tmp_path)
    app = LocalApp.from_environment({"APP": str(code)})
    assert (app.directory, app.settings_module, app.wsgi) == (
        code,
        "mysite.settings",
        "mysite.wsgi:application",
    )
    assert not app.is_demo


def test_a_relative_app_is_read_from_the_checkout():
    app = LocalApp.from_environment({"APP": "examples/noticeboard"})
    assert app.directory == REPO_ROOT / "examples" / "noticeboard"
    assert app.settings_module == "noticeboard.settings"


def test_other_modules_are_named_by_app_settings_and_app_wsgi(tmp_path):
    code = startproject(tmp_path)
    (code / "mysite" / "settings_prod.py").write_text("")
    (code / "mysite" / "asgi.py").write_text("")
    app = LocalApp.at(code, {"APP_SETTINGS": "mysite.settings_prod", "APP_WSGI": "mysite.asgi"})
    assert (app.settings_module, app.wsgi) == ("mysite.settings_prod", "mysite.asgi:application")


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda code: (code / "manage.py").unlink(), "manage.py does not exist"),
        (lambda code: (code / "manage.py").write_text("import os\n"), "APP_SETTINGS="),
        (lambda code: (code / "mysite" / "settings.py").unlink(), "mysite.settings is not in"),
        (lambda code: (code / "mysite" / "wsgi.py").unlink(), "set APP_WSGI"),
    ],
    ids=["no manage.py", "no settings module named", "no settings module", "no wsgi module"],
)
def test_a_directory_that_is_no_runnable_project_is_refused_naming_what_to_change(
    tmp_path, change, named
):
    code = startproject(tmp_path)
    change(code)
    with pytest.raises(LocalSetupError, match=named) as refused:
        LocalApp.at(code, {})
    assert "\n" not in str(refused.value)


def test_each_app_keeps_its_data_apart_from_the_demo_s(tmp_path):
    code = startproject(tmp_path)
    assert LocalTopology.from_environment({}).data_dir == DEFAULT_DATA_DIR
    mine = LocalTopology.from_environment({"APP": str(code)})
    assert mine.data_dir == APPS_DATA_DIR / "mysite"
    moved = LocalTopology.from_environment({"APP": str(code), "LOCAL_DIR": str(tmp_path / "d")})
    assert moved.data_dir == tmp_path / "d"


def test_the_web_process_gets_the_app_s_directory_settings_and_application(tmp_path):
    code = startproject(tmp_path)
    topology = LocalTopology(data_dir=tmp_path / "data", ports=Ports(), app=LocalApp.at(code, {}))
    environment = topology.environment({"PATH": "/usr/bin"})
    assert environment["LOCAL_APP_DIR"] == str(code)
    assert environment["DJANGO_SETTINGS_MODULE"] == "mysite.settings"
    assert environment["DJANGO_APP_MODULE"] == "mysite.wsgi:application"
    assert environment["LOCAL_APP_OWN_SCRIPTS"] == ""
    # Still exactly the web container's contract, whatever the app.
    WEB.checked("test", {name: environment[name] for name in WEB.names if name in environment})


def test_make_local_with_an_app_that_is_no_project_stops_with_one_line(tmp_path):
    """`make local APP=<dir>` names what to change before anything starts."""
    result = subprocess.run(
        [sys.executable, "-m", "tools.local.run"],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "APP": str(tmp_path), "LOCAL_DIR": str(tmp_path / "d")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"make local: APP={tmp_path}: {tmp_path}/manage.py does not exist; name a Django "
        "project's directory (the one holding manage.py)"
    )
    assert not (tmp_path / "d").exists()  # nothing prepared


def test_the_app_s_requirements_are_read_by_name(tmp_path):
    code = startproject(tmp_path)
    (code / "requirements.txt").write_text(
        "# pinned\n--require-hashes\nDjango==5.2.19 \\\n    --hash=sha256:00\n"
        "django-storages[s3]>=1.14 ; python_version >= '3.11'\n\nPillow  # photos\n"
    )
    app = LocalApp.at(code, {})
    assert required_distributions(app) == ["Django", "django-storages", "Pillow"]
    assert required_distributions(LocalApp.demo()) == []  # its own image, its own runtime


def test_an_app_needing_what_the_local_runtime_lacks_is_refused_naming_it(tmp_path):
    code = startproject(tmp_path)
    (code / "requirements.txt").write_text("Django\nno-such-distribution-here==1.0\n")
    with pytest.raises(LocalSetupError, match="names no-such-distribution-here, which") as refused:
        check_requirements(LocalApp.at(code, {}), Path(sys.executable))
    assert "requirements/local.in" in str(refused.value)
    (code / "requirements.txt").write_text("Django\n")
    check_requirements(LocalApp.at(code, {}), Path(sys.executable))  # nothing missing
