"""The app slot: which Django project the stack deploys, read from one structured setting.

``Pulumi.<stack>.yaml`` names the project under ``django-tw:app`` (a YAML mapping):

    django-tw:app:
      path: service                         # its code: the web image's build context
      settingsModule: config.settings.production
      schedules:
        - {command: clearsessions, schedule: "cron(30 3 * * ? *)"}

Every field has a default (the demo in ``service/``), so a stack may leave the setting out.
Pulumi passes a mapping to the program as its JSON text (``Plaintext.marshalText``,
sdk/go/common/resource/config/plaintext.go: ``json.Marshal`` of the value) and checks it only
for being a mapping (``ValidateConfigValue``, sdk/go/common/workspace/project.go: ``case
objectTypeName``); a stack's value replaces ``Pulumi.yaml``'s default whole (no merge), so every
field's default is applied here. Each field is checked against the checkout before any
resource: the directory, ``manage.py``, the settings and WSGI modules, the Dockerfile.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stack.parsers import NotAllowed
from stack.paths import REPO_ROOT
from stack.schedules import Schedule, parse_schedule

SETTING = "app"
# The platform's image for a project without its own Dockerfile (requirements.txt or
# pyproject.toml, collectstatic at build): build args name the WSGI and settings modules.
GENERIC_DOCKERFILE = "components/images/app/Dockerfile"
DEFAULT_PATH = "service"
DEFAULT_WSGI = "config.wsgi"
DEFAULT_SETTINGS_MODULE = "config.settings.production"
DEFAULT_HEALTH_PATH = "/healthz"
# The lock-taking migrate command the Django side provides (django_fargate), as a manage.py
# command line: the release step runs it before the new code takes traffic.
DEFAULT_RELEASE = ("migrate_locked", "--noinput")
DEFAULT_WEB_MEMORY = 160
MAX_SECRETS = 20
FIELDS = (
    "path",
    "dockerfile",
    "wsgi",
    "settingsModule",
    "healthPath",
    "environment",
    "secrets",
    "webMemory",
    "release",
    "schedules",
    "worker",
)
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,127}$")
_HEALTH_PATH = re.compile(r"^/[A-Za-z0-9._~/-]*$")
_COMMAND_WORD = re.compile(r"^[A-Za-z0-9_=./:@,+-]+$")


@dataclass(frozen=True)
class AppSettings:
    """The Django project a stack deploys (``django-tw:app``), each field checked."""

    path: str
    """Its code directory, relative to the Pulumi project: the web image's build context."""
    dockerfile: str
    """The web image's Dockerfile, relative to the Pulumi project: the project's own, or the
    platform's generic one (:data:`GENERIC_DOCKERFILE`)."""
    wsgi: str
    """The WSGI module (``<wsgi>:application``), a build arg of the generic image."""
    settings_module: str
    """``DJANGO_SETTINGS_MODULE`` in the task."""
    health_path: str
    """Readiness path the load balancer asks (answers 200 once the database answers)."""
    environment: tuple[tuple[str, str], ...] = ()
    """Extra plain environment of the web container, sorted by name."""
    secrets: tuple[str, ...] = ()
    """Environment names whose values live in Secrets Manager (``<prefix>/app/<NAME>``)."""
    web_memory: int = DEFAULT_WEB_MEMORY
    """The web container's memory reservation, MiB (its limit is a share of the task's)."""
    release: tuple[str, ...] = DEFAULT_RELEASE
    """``manage.py`` arguments of the release step, run before web starts in every task."""
    schedules: tuple[Schedule, ...] = ()
    """Management commands run on a schedule."""
    worker: tuple[str, ...] = ()
    """``manage.py`` arguments of a background worker beside web in every task (django-tasks'
    database backend: ``db_worker``); empty: none."""
    own_healthcheck: bool = False
    """The project has ``healthcheck.py`` beside ``manage.py``, which web's
    container check runs; otherwise the check asks gunicorn's ``/livez`` itself."""

    @property
    def liveness_command(self) -> str:
        """Web's container check: liveness of gunicorn, never the database (``/livez``, which
        the Django side answers without a query). Standard library only, so any image with
        Python runs it."""
        if self.own_healthcheck:
            return "python /app/healthcheck.py || exit 1"
        probe = "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/livez', timeout=5)"
        return f'python -c "{probe}" || exit 1'

    @property
    def generic_image(self) -> bool:
        return self.dockerfile == GENERIC_DOCKERFILE

    @property
    def build_args(self) -> dict[str, str]:
        """What the generic image is told; a project's own Dockerfile needs none."""
        if not self.generic_image:
            return {}
        return {"WSGI_MODULE": self.wsgi, "DJANGO_SETTINGS_MODULE": self.settings_module}


# The demo in service/, as `{}` (every default) deploys it.
DEMO_APP = AppSettings(
    path=DEFAULT_PATH,
    dockerfile=f"{DEFAULT_PATH}/Dockerfile",
    wsgi=DEFAULT_WSGI,
    settings_module=DEFAULT_SETTINGS_MODULE,
    health_path=DEFAULT_HEALTH_PATH,
)


def _refuse(field: str, value: object, allowed: str) -> NotAllowed:
    return NotAllowed(value, allowed, setting=f"{SETTING}.{field}")


def _text(raw: dict[str, Any], field: str, default: str) -> str:
    value = raw.get(field, default)
    if not isinstance(value, str):
        raise _refuse(field, value, "text")
    return value.strip()


def _module_file(root: Path, module: str) -> Path | None:
    """The file Python would import ``module`` from under ``root``: ``a/b.py`` or
    ``a/b/__init__.py``; None when neither exists."""
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module(raw: dict[str, Any], field: str, default: str, code: Path, path: str) -> str:
    module = _text(raw, field, default)
    if not _MODULE.match(module):
        raise _refuse(field, module, "a dotted Python module name such as config.settings")
    if _module_file(code, module) is None:
        file = "/".join(module.split("."))
        raise _refuse(
            field,
            module,
            f"a module of the project: neither {path}/{file}.py nor {path}/{file}/__init__.py "
            "exists; name the module your project has",
        )
    return module


def _dockerfile(raw: dict[str, Any], path: str, root: Path) -> str:
    given = _text(raw, "dockerfile", "")
    if not given:
        own = f"{path}/Dockerfile"
        return own if (root / own).is_file() else GENERIC_DOCKERFILE
    if not (root / given).is_file():
        raise _refuse(
            "dockerfile",
            given,
            "a Dockerfile that exists, relative to Pulumi.yaml's directory; leave it empty for "
            f"{path}/Dockerfile if present, else {GENERIC_DOCKERFILE}",
        )
    return given


def _environment(raw: dict[str, Any], reserved: frozenset[str]) -> tuple[tuple[str, str], ...]:
    value = raw.get("environment", {})
    allowed = "a mapping of NAME: text (upper-case names)"
    if not isinstance(value, dict):
        raise _refuse("environment", value, allowed)
    for name, text in value.items():
        if not _ENV_NAME.match(name) or not isinstance(text, str | int | float | bool):
            raise _refuse("environment", {name: text}, allowed)
        if name in reserved:
            raise _refuse(
                "environment",
                name,
                "a name the platform does not set itself (it sets "
                f"{', '.join(sorted(reserved))}): choose another",
            )
    return tuple(sorted((name, _scalar_text(text)) for name, text in value.items()))


def _scalar_text(value: object) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _secrets(raw: dict[str, Any], reserved: frozenset[str], plain: set[str]) -> tuple[str, ...]:
    value = raw.get("secrets", [])
    allowed = (
        f"a list of up to {MAX_SECRETS} upper-case environment names (the values go in "
        "Secrets Manager, never in the stack file)"
    )
    if not isinstance(value, list) or len(value) > MAX_SECRETS:
        raise _refuse("secrets", value, allowed)
    for name in value:
        if not isinstance(name, str) or not _ENV_NAME.match(name):
            raise _refuse("secrets", name, allowed)
        if name in reserved or name in plain:
            raise _refuse("secrets", name, "a name neither the platform nor `environment` sets")
    if len(set(value)) != len(value):
        raise _refuse("secrets", value, "each name once")
    return tuple(value)


def _command(value: object, field: str) -> tuple[str, ...]:
    allowed = (
        "manage.py's arguments as a list or one line, e.g. [clearsessions] or "
        '"axes_reset_logs --age 30" (letters, digits and _=./:@,+- only)'
    )
    words = value.split() if isinstance(value, str) else value
    if not isinstance(words, list) or not words:
        raise _refuse(field, value, allowed)
    if not all(isinstance(w, str) and _COMMAND_WORD.match(w) for w in words):
        raise _refuse(field, value, allowed)
    return tuple(words)


def _schedules(raw: dict[str, Any]) -> tuple[Schedule, ...]:
    value = raw.get("schedules", [])
    allowed = "a list of {command: <manage.py arguments>, schedule: cron(...) or rate(...)}"
    if not isinstance(value, list):
        raise _refuse("schedules", value, allowed)
    schedules = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) != {"command", "schedule"}:
            raise _refuse("schedules", entry, allowed)
        command = _command(entry["command"], "schedules")
        try:
            schedules.append(parse_schedule(command, entry["schedule"]))
        except ValueError as refused:
            raise _refuse("schedules", entry["schedule"], str(refused)) from None
    return tuple(schedules)


def parse_app(
    text: str, reserved: frozenset[str] = frozenset(), root: Path = REPO_ROOT
) -> AppSettings:
    """``django-tw:app``'s JSON text (empty: every default) -> :class:`AppSettings`.

    ``reserved``: the environment names the platform sets itself (``stack.contract``'s web
    variables), which the app may not set. Raises :class:`NotAllowed` blaming ``app.<field>``.
    """
    stripped = text.strip() or "{}"
    try:
        raw = json.loads(stripped)
    except json.JSONDecodeError:
        raw = None
    if not isinstance(raw, dict):
        raise NotAllowed(text, "a YAML mapping with the fields " + ", ".join(FIELDS))
    if unknown := sorted(set(raw) - set(FIELDS)):
        raise _refuse(unknown[0], raw[unknown[0]], "one of the fields " + ", ".join(FIELDS))
    path = _text(raw, "path", DEFAULT_PATH).strip("/")
    code = root / path
    if not path or ".." in Path(path).parts or not code.is_dir():
        raise _refuse(
            "path",
            path,
            "the Django project's directory, relative to Pulumi.yaml's directory (it exists)",
        )
    if not (code / "manage.py").is_file():
        raise _refuse(
            "path", path, f"a Django project's directory: {path}/manage.py does not exist"
        )
    environment = _environment(raw, reserved)
    web_memory = raw.get("webMemory", DEFAULT_WEB_MEMORY)
    if type(web_memory) is not int or not 64 <= web_memory <= 30720:
        raise _refuse("webMemory", web_memory, "MiB, a whole number from 64 to 30720")
    health = _text(raw, "healthPath", DEFAULT_HEALTH_PATH)
    if not _HEALTH_PATH.match(health) or len(health) > 1024:
        raise _refuse("healthPath", health, "a URL path starting with /, e.g. /healthz")
    return AppSettings(
        path=path,
        dockerfile=_dockerfile(raw, path, root),
        wsgi=_module(raw, "wsgi", DEFAULT_WSGI, code, path),
        settings_module=_module(raw, "settingsModule", DEFAULT_SETTINGS_MODULE, code, path),
        health_path=health,
        environment=environment,
        secrets=_secrets(raw, reserved, {name for name, _ in environment}),
        web_memory=web_memory,
        release=_command(raw.get("release", list(DEFAULT_RELEASE)), "release"),
        schedules=_schedules(raw),
        worker=_command(raw["worker"], "worker") if raw.get("worker") else (),
        own_healthcheck=(code / "healthcheck.py").is_file(),
    )
