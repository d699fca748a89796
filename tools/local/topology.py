"""Where the local topology keeps its data, which ports it uses and the environment it runs with.

One `LocalTopology` describes one running copy: `make local` uses `.local/` and the ports of the
Fargate task (8080 nginx, 8000 gunicorn, 5432 Postgres); the end-to-end tests build another one
on free ports in a temporary directory so both can run side by side.

Every process of tools/local/Procfile gets the same environment, built here from the names of the
environment contracts of the web and db containers (docs/DESIGN.md, Contracts), so the local run
configures Django, nginx and Postgres exactly as the task definition does.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from stack.contract import DB, NGINX, WEB
from stack.paths import DJANGO_FARGATE_SRC, REPO_ROOT
from tools.local import backup_tools
from tools.local.app import LocalApp
from tools.local.ports import Ports
from tools.local.postgres_server import postgres_bin_dir
from tools.local.shared_venv import RUNTIME
from tools.local.system import topology_account

DEFAULT_DATA_DIR = REPO_ROOT / ".local"
# Another app than the demo keeps its database, media and secrets apart from the demo's.
APPS_DATA_DIR = DEFAULT_DATA_DIR / "apps"

DATABASE_NAME = "django_tw"  # the names the prod stack gives the db container
DATABASE_SUPERUSER = "postgres"  # the bootstrap superuser; the app never gets its password
DATABASE_USER = "django_tw"  # the application's unprivileged role
MEDIA_BUCKET = "django-tw-media"
MEDIA_REGION = "ap-northeast-1"
# The db container's backup settings (Pulumi.prod.yaml's defaults); only the S3 endpoint differs.
BACKUP_DESTINATION = "s3://django-tw-backups/postgres"
BACKUP_SERVER_NAME = "postgres"
BACKUP_DEFAULTS = {
    "BACKUP_RETENTION_DAYS": "14",
    "BASE_BACKUP_TIME": "17:00",
    "ARCHIVE_TIMEOUT_SECONDS": "60",
}
GENERATED_SECRETS = ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD")


def new_data_dir(prefix: str = "django-tw-") -> Path:
    """A fresh temporary data directory. mkdtemp makes it 0700; 0755 lets another account through
    when we are root (the service tests' Postgres). A topology's preparation makes its own data
    directory private to the account its processes run as (tools/local/prepare.py)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


@dataclass(frozen=True)
class LocalTopology:
    """One copy of the topology: its data directory and its ports."""

    data_dir: Path = DEFAULT_DATA_DIR
    ports: Ports = field(default_factory=Ports)
    # False: browse http://localhost:8080 directly (no TLS anywhere, so no SSL redirect and no
    # Secure cookies). True: exactly the deployed settings, for clients that act as the ALB and
    # send `X-Forwarded-Proto: https` (the end-to-end tests).
    behind_tls_proxy: bool = False
    # The Django project the web process runs (`make local APP=...`; the demo by default).
    app: LocalApp = field(default_factory=LocalApp.demo)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> LocalTopology:
        app = LocalApp.from_environment(environ)
        default = DEFAULT_DATA_DIR if app.is_demo else APPS_DATA_DIR / app.name
        data_dir = Path(environ.get("LOCAL_DIR") or default).resolve()
        return cls(data_dir=data_dir, ports=Ports.from_environment(environ), app=app)

    # --- paths -------------------------------------------------------------------------
    @property
    def postgres_dir(self) -> Path:
        """Owned by the Postgres account; holds PGDATA and the guard's lock file (the volume)."""
        return self.data_dir / "postgres"

    @property
    def pgdata(self) -> Path:
        # A subdirectory of the volume, never the volume itself (initdb wants an empty directory).
        return self.postgres_dir / "pgdata"

    @property
    def guard_script(self) -> Path:
        """The db image's entrypoint guard, installed in the data directory as the db image
        installs it in /usr/local/bin: the Postgres account may not be able to reach the checkout
        (a clone under /root, say), but it can always reach the data directory."""
        return self.data_dir / "bin" / "postgres-guard.sh"

    @property
    def prepare_script(self) -> Path:
        """The db image's postgres-prepare.sh, installed beside the guard for the same reason."""
        return self.data_dir / "bin" / "postgres-prepare.sh"

    @property
    def backup_script(self) -> Path:
        """components/images/db/postgres_backup.py, installed beside the guard as the db image
        installs it in /usr/local/bin: Postgres' archive_command runs it as the Postgres account."""
        return self.data_dir / "bin" / "postgres-backup"

    @property
    def static_root(self) -> Path:
        return self.data_dir / "static"

    @property
    def nginx_dir(self) -> Path:
        return self.data_dir / "nginx"

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def s3_dir(self) -> Path:
        return self.data_dir / "s3"

    @property
    def s3_recording(self) -> Path:
        """Every request the S3 stand-in served, replayed at its next start (media, backups)."""
        return self.s3_dir / "requests.jsonl"

    @property
    def secrets_file(self) -> Path:
        return self.data_dir / "secrets.env"

    @property
    def url(self) -> str:
        return f"http://localhost:{self.ports.http}"

    # --- secrets -----------------------------------------------------------------------
    def secrets(self) -> dict[str, str]:
        """Generated once per data directory and kept in a 0600 file: never in the repository.

        A file from an older checkout gets the keys it lacks appended; existing values never
        change (the cluster holds them)."""
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.secrets_file, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "r+") as handle:
            handle.seek(0)
            pairs = (
                line.split("=", 1)
                for line in handle.read().splitlines()
                if "=" in line and not line.startswith("#")
            )
            values = {key: value for key, value in pairs}
            for key in GENERATED_SECRETS:
                if key not in values:
                    values[key] = secrets.token_urlsafe(50 if key == "DJANGO_SECRET_KEY" else 24)
                    handle.write(f"{key}={values[key]}\n")
        return values

    # --- environment -------------------------------------------------------------------
    def environment(self, base: Mapping[str, str] = os.environ) -> dict[str, str]:
        """The environment every Procfile process runs with."""
        secret = self.secrets()
        ports = self.ports
        # As root, the processes run unprivileged: from a virtualenv every account can run
        # (tools/local/shared_venv.py), not the project's .venv. barman's after it: its tools only.
        path = os.pathsep.join(
            [
                str(RUNTIME.bin()),
                str(postgres_bin_dir()),
                str(backup_tools.tools_bin()),
                base.get("PATH", os.defpath),
            ]
        )
        # Each container's variables, checked against stack/contract.py: the names the task
        # definition gives it, with the local stand-ins' endpoints.
        db = {
            "POSTGRES_USER": DATABASE_SUPERUSER,
            "POSTGRES_PASSWORD": secret["POSTGRES_PASSWORD"],
            "POSTGRES_DB": DATABASE_NAME,
            "POSTGRES_APP_USER": DATABASE_USER,
            "POSTGRES_APP_PASSWORD": secret["POSTGRES_APP_PASSWORD"],
            "PGDATA": str(self.pgdata),
            "BACKUP_DESTINATION_URL": BACKUP_DESTINATION,
            "BACKUP_SERVER_NAME": BACKUP_SERVER_NAME,
            "BACKUP_ENDPOINT_URL": f"http://127.0.0.1:{ports.s3}",
            **{name: base.get(name) or value for name, value in BACKUP_DEFAULTS.items()},
            "AWS_DEFAULT_REGION": MEDIA_REGION,
        }
        web = {
            "DJANGO_SETTINGS_MODULE": self.app.settings_module,
            "DJANGO_SECRET_KEY": secret["DJANGO_SECRET_KEY"],
            "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "DJANGO_HTTPS": "true" if self.behind_tls_proxy else "false",
            # A browser acting as if behind the ALB (the browser test) sends its plain-http
            # Origin while Django sees https: trust that origin for CSRF. A no-op otherwise.
            "DJANGO_CSRF_TRUSTED_ORIGINS": (
                f"http://localhost:{ports.http},http://127.0.0.1:{ports.http}"
            ),
            "DATABASE_URL": (
                f"postgres://{DATABASE_USER}:{secret['POSTGRES_APP_PASSWORD']}"
                f"@127.0.0.1:{ports.db}/{DATABASE_NAME}"
            ),
            "DJANGO_STATIC_ROOT": str(self.static_root),
            "AWS_STORAGE_BUCKET_NAME": MEDIA_BUCKET,
            "AWS_S3_REGION_NAME": MEDIA_REGION,
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{ports.s3}",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(ports.smtp),
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": "false",
            "DEFAULT_FROM_EMAIL": "django-tw <noreply@localhost>",
            "WEB_CONCURRENCY": base.get("WEB_CONCURRENCY", "2"),
            "GUNICORN_BIND": f"127.0.0.1:{ports.web}",
        }
        # 127.0.0.1 as in the task, not localhost: nginx would try ::1 first, where gunicorn
        # does not listen.
        nginx = {
            # The template's `listen ${NGINX_LISTEN_PORT};` takes an address:port as well: in the
            # task the bare port is reachable only through the ALB; here it would be the LAN's.
            "NGINX_LISTEN_PORT": f"127.0.0.1:{ports.http}",
            "NGINX_UPSTREAM": f"127.0.0.1:{ports.web}",
            "NGINX_STATIC_ROOT": str(self.static_root),
            "NGINX_REAL_IP_FROM": "127.0.0.1/32",
        }
        for contract, values in ((DB, db), (WEB, web), (NGINX, nginx)):
            contract.checked("make local", values)
        # tools/local/bin/unprivileged runs every Procfile entry as this account when we are root.
        account = topology_account(base)
        env = dict(base)
        env.update(
            {
                "PATH": path,
                "PYTHONUNBUFFERED": "1",
                "REPO_ROOT": str(REPO_ROOT),
                # The platform's Django library from the checkout, installed or not (a
                # virtualenv made before it existed lacks it), as the image installs it.
                "PYTHONPATH": os.pathsep.join(
                    [str(DJANGO_FARGATE_SRC), *filter(None, [base.get("PYTHONPATH")])]
                ),
                "LOCAL_DIR": str(self.data_dir),
                # tools/local/bin/web: where the app is and what gunicorn serves (the generic
                # image's DJANGO_APP_MODULE, set there by the image, not the task).
                "APP": str(self.app.directory),
                "LOCAL_APP_DIR": str(self.app.directory),
                "LOCAL_APP_OWN_SCRIPTS": "1" if self.app.is_demo else "",
                "DJANGO_APP_MODULE": self.app.wsgi,
                "LOCAL_RUN_AS": "" if account is None else f"{account.pw_uid}:{account.pw_gid}",
                **ports.as_environment(),
                # tools/local/bin/db's steps and port: in the image they are its entrypoint and
                # 5432.
                "POSTGRES_GUARD": str(self.guard_script),
                "POSTGRES_PREPARE": str(self.prepare_script),
                "PGPORT": str(ports.db),
                "POSTGRES_BACKUP": str(self.backup_script),
                # The stand-in stops together with Postgres, whose archiver tries three times to
                # archive the last segment at shutdown: fail fast rather than hold the shutdown
                # (the segment stays in pg_wal and is archived at the next start).
                "AWS_MAX_ATTEMPTS": "1",
                # moto accepts any credentials; boto3 only needs some to sign with. In AWS the
                # task role provides them and these two variables are never set.
                "AWS_ACCESS_KEY_ID": "local-moto",
                "AWS_SECRET_ACCESS_KEY": "local-moto",
                **db,
                **web,
                **nginx,
            }
        )
        return env
