"""stack/app.py: `django-tw:app`, the Django project a stack deploys, checked against the
checkout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stack.app import DEMO_APP, GENERIC_DOCKERFILE, parse_app
from stack.contract import WEB
from stack.parsers import NotAllowed
from stack.paths import REPO_ROOT


def project(root: Path, *, dockerfile: bool = False, path: str = "mysite") -> Path:
    """A project as `django-admin startproject mysite` lays it out (settings.py, wsgi.py)."""
    code = root / path
    (code / "mysite").mkdir(parents=True)
    (code / "manage.py").write_text("")
    (code / "mysite" / "__init__.py").write_text("")
    (code / "mysite" / "settings.py").write_text("")
    (code / "mysite" / "wsgi.py").write_text("")
    if dockerfile:
        (code / "Dockerfile").write_text("FROM python\n")
    return code


def app(root: Path, **fields: object):
    return parse_app(json.dumps(fields), WEB.names, root=root)


def refused(root: Path, **fields: object) -> NotAllowed:
    with pytest.raises(NotAllowed) as raised:
        app(root, **fields)
    return raised.value


MINE = {"path": "mysite", "wsgi": "mysite.wsgi", "settingsModule": "mysite.settings"}


def test_no_setting_is_the_app_in_service_which_must_then_exist(tmp_path):
    """The promised layout: the app lives in service/ (the demo's own test holds the demo
    there). A checkout without it is told which setting names another directory."""
    with pytest.raises(NotAllowed) as refusal:
        parse_app("{}", WEB.names, root=tmp_path)
    assert (refusal.value.setting, refusal.value.value) == ("app.path", "service")
    project(tmp_path, path="service", dockerfile=True)
    (tmp_path / "service" / "config" / "settings").mkdir(parents=True)
    for module in ("config/wsgi.py", "config/settings/production.py"):
        (tmp_path / "service" / module).touch()
    assert parse_app("", WEB.names, root=tmp_path) == DEMO_APP


def test_a_project_without_a_dockerfile_gets_the_generic_image_told_its_modules(tmp_path):
    project(tmp_path)
    mine = app(tmp_path, **MINE)
    # No healthcheck.py of its own: web's container check asks gunicorn's /livez directly.
    assert not mine.own_healthcheck
    assert "http://127.0.0.1:8000/livez" in mine.liveness_command
    # The demo neither: its probe is the library's (django_fargate.healthcheck), the same ask.
    assert not DEMO_APP.own_healthcheck
    assert DEMO_APP.liveness_command == mine.liveness_command
    assert mine.dockerfile == GENERIC_DOCKERFILE
    assert mine.build_args == {
        "WSGI_MODULE": "mysite.wsgi",
        "DJANGO_SETTINGS_MODULE": "mysite.settings",
    }


def test_a_project_with_its_own_dockerfile_builds_it(tmp_path):
    project(tmp_path, dockerfile=True)
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "web.Dockerfile").write_text("FROM python\n")
    assert app(tmp_path, **MINE).dockerfile == "mysite/Dockerfile"
    named = app(tmp_path, **MINE, dockerfile="docker/web.Dockerfile")
    assert named.dockerfile == "docker/web.Dockerfile"
    assert named.build_args == {}


def test_environment_and_secrets_are_the_app_s_own_names(tmp_path):
    project(tmp_path)
    mine = app(
        tmp_path,
        **MINE,
        environment={"SENTRY_ENVIRONMENT": "prod", "FEATURE_X": True, "PAGE_SIZE": 20},
        secrets=["SENTRY_DSN", "STRIPE_API_KEY"],
        webMemory=256,
    )
    assert mine.environment == (
        ("FEATURE_X", "true"),
        ("PAGE_SIZE", "20"),
        ("SENTRY_ENVIRONMENT", "prod"),
    )
    assert mine.secrets == ("SENTRY_DSN", "STRIPE_API_KEY")
    assert mine.web_memory == 256


def test_release_and_schedules_are_manage_py_arguments(tmp_path):
    project(tmp_path)
    mine = app(
        tmp_path,
        **MINE,
        release=["migrate", "--noinput"],
        schedules=[{"command": "clearsessions", "schedule": "rate(1 day)"}],
    )
    assert mine.release == ("migrate", "--noinput")
    assert mine.worker == ()  # none unless named
    assert app(tmp_path, **MINE, worker="db_worker").worker == ("db_worker",)
    assert [s.command for s in mine.schedules] == [("clearsessions",)]
    assert mine.schedules[0].every_seconds == 86400


BAD = {
    "missing directory": ({"path": "nowhere"}, "app.path", "the Django project's directory"),
    "outside the project": ({"path": "../mysite"}, "app.path", "relative to Pulumi.yaml"),
    "no manage.py": ({"path": "empty"}, "app.path", "empty/manage.py does not exist"),
    "settings module missing": (
        {**MINE, "settingsModule": "mysite.settings.production"},
        "app.settingsModule",
        "neither mysite/mysite/settings/production.py nor",
    ),
    "wsgi module missing": (
        {**MINE, "wsgi": "config.wsgi"},
        "app.wsgi",
        "neither mysite/config/wsgi.py nor",
    ),
    "not a module name": ({**MINE, "wsgi": "mysite/wsgi.py"}, "app.wsgi", "dotted Python module"),
    "dockerfile missing": (
        {**MINE, "dockerfile": "mysite/Dockerfile.prod"},
        "app.dockerfile",
        "a Dockerfile that exists",
    ),
    "platform variable": (
        {**MINE, "environment": {"DATABASE_URL": "postgres://x"}},
        "app.environment",
        "a name the platform does not set itself",
    ),
    "lower-case name": ({**MINE, "environment": {"debug": "1"}}, "app.environment", "upper-case"),
    "secret set in plain too": (
        {**MINE, "environment": {"SENTRY_DSN": "x"}, "secrets": ["SENTRY_DSN"]},
        "app.secrets",
        "neither the platform nor `environment` sets",
    ),
    "a secret value": ({**MINE, "secrets": {"SENTRY_DSN": "x"}}, "app.secrets", "never in the"),
    "health path": ({**MINE, "healthPath": "healthz"}, "app.healthPath", "starting with /"),
    "web memory": ({**MINE, "webMemory": 16}, "app.webMemory", "from 64 to 30720"),
    "shell in a command": ({**MINE, "release": "migrate; rm -rf /"}, "app.release", "only"),
    "worker not a command": ({**MINE, "worker": {"command": "db_worker"}}, "app.worker", "list"),
    "schedule": (
        {**MINE, "schedules": [{"command": "clearsessions", "schedule": "0 3 * * *"}]},
        "app.schedules",
        "rate(N minutes|hours|days)",
    ),
    "unknown field": ({**MINE, "settings": "mysite.settings"}, "app.settings", "one of the fields"),
}


@pytest.mark.parametrize(("fields", "blamed", "allowed"), BAD.values(), ids=BAD)
def test_a_bad_field_is_blamed_with_what_to_change(tmp_path, fields, blamed, allowed):
    project(tmp_path)
    (tmp_path / "empty").mkdir()
    problem = refused(tmp_path, **fields)
    assert problem.setting == blamed
    assert allowed in problem.allowed


def test_a_value_that_is_not_a_mapping_is_refused():
    with pytest.raises(NotAllowed, match="a YAML mapping"):
        parse_app('["service"]', WEB.names)


def test_the_documented_example_deploys_a_startproject_layout(tmp_path):
    """docs/deploying.md's `django-tw:app` block, read as the Pulumi CLI reads a stack file, is a
    valid app setting for the layout `django-admin startproject mysite` makes."""
    from stack.config import read_config

    readme = (REPO_ROOT / "docs" / "deploying.md").read_text()
    section = readme[readme.index("**Your own Django project**") :]
    block = section[section.index("```yaml\n") + len("```yaml\n") : section.index("```\n", 10)]
    values = read_config("config:\n" + block, "docs/deploying.md")
    project(tmp_path)
    mine = parse_app(values["django-tw:app"].text, WEB.names, root=tmp_path)
    assert (mine.path, mine.dockerfile) == ("mysite", GENERIC_DOCKERFILE)
    assert mine.secrets == ("SENTRY_DSN",)
    assert [s.command for s in mine.schedules] == [("clearsessions",)]


def test_the_built_in_liveness_check_passes_on_200_and_fails_when_nothing_answers(tmp_path):
    import http.server
    import socket
    import subprocess
    import threading

    class Live(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/livez" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    project(tmp_path)
    command = app(tmp_path, **MINE).liveness_command
    server = http.server.HTTPServer(("127.0.0.1", 0), Live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        here = command.replace("127.0.0.1:8000", f"127.0.0.1:{port}").replace("python", "python3")
        assert subprocess.run(["sh", "-c", here], check=False, timeout=30).returncode == 0
    finally:
        server.shutdown()
    with socket.socket() as probe:  # a port nothing listens on any more
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    gone = command.replace("127.0.0.1:8000", f"127.0.0.1:{closed}").replace("python", "python3")
    assert subprocess.run(["sh", "-c", gone], capture_output=True, check=False).returncode == 1
