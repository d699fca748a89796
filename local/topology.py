"""Where the local topology keeps its data, which ports it uses and the environment it runs with.

One `LocalTopology` describes one running copy: `make local` uses `.local/` and the ports of the
Fargate task (8080 nginx, 8000 gunicorn, 5432 Postgres); the end-to-end tests build another one
on free ports in a temporary directory so both can run side by side.

Every process of local/Procfile gets the same environment, built here from the names of the
environment contracts of the web and db containers (docs/DESIGN.md, Contracts), so the local run
configures Django, nginx and Postgres exactly as the task definition does.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from local import backup_tools
from local.system import REPO_ROOT, LocalSetupError, running_as_root

GUARD_SOURCE = REPO_ROOT / "service" / "db" / "postgres-guard.sh"
PREPARE_SOURCE = REPO_ROOT / "service" / "db" / "postgres-prepare.sh"
BACKUP_SOURCE = REPO_ROOT / "service" / "db" / "postgres_backup.py"
# The backup step's modules, imported from the script's own directory.
BACKUP_MODULES = ("backup_common.py", "backup_restore.py")
PROCFILE = REPO_ROOT / "local" / "Procfile"
DEFAULT_DATA_DIR = REPO_ROOT / ".local"

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
# The system account Postgres runs as when we are root (Postgres refuses to run as root).
POSTGRES_SYSTEM_USER = "postgres"


GENERATED_SECRETS = ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD")


@dataclass(frozen=True)
class Ports:
    """TCP ports on 127.0.0.1. The defaults are the container ports of the Fargate task."""

    http: int = 8080  # nginx, the only port a browser needs
    web: int = 8000  # gunicorn
    db: int = 5432  # Postgres
    s3: int = 9000  # moto's S3 server (stands in for the media bucket)
    smtp: int = 1025  # aiosmtpd (stands in for SES SMTP)

    @staticmethod
    def variable(name: str) -> str:
        """The environment variable that sets the port called ``name`` (LOCAL_HTTP_PORT...)."""
        return f"LOCAL_{name.upper()}_PORT"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Ports:
        """Ports from LOCAL_HTTP_PORT, LOCAL_WEB_PORT, ... where set, the defaults otherwise."""
        values = {}
        for name in (port.name for port in fields(cls)):
            raw = environ.get(cls.variable(name))
            if raw:
                if not raw.isdigit() or not 0 < int(raw) < 65536:
                    raise LocalSetupError(
                        f"{cls.variable(name)}={raw!r} is not a TCP port: use 1-65535"
                    )
                values[name] = int(raw)
        return cls(**values)

    @classmethod
    def free(cls) -> Ports:
        """Ports nothing listens on right now (for tests that run beside `make local`)."""
        sockets = []
        try:
            for _ in fields(cls):
                sock = socket.socket()
                sock.bind(("127.0.0.1", 0))
                sockets.append(sock)
            numbers = [sock.getsockname()[1] for sock in sockets]
        finally:
            for sock in sockets:
                sock.close()
        return cls(*numbers)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def as_environment(self) -> dict[str, str]:
        """The variables that give another process these ports."""
        return {self.variable(name): str(port) for name, port in self.as_dict().items()}


def postgres_bin_dir() -> Path:
    """The newest installed PostgreSQL server's bin directory (Debian layout), or PG_BIN."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    candidates = glob.glob("/usr/lib/postgresql/*/bin/postgres")
    if not candidates:
        found = shutil.which("postgres")
        if found:
            return Path(found).parent
        raise LocalSetupError(
            "no PostgreSQL server found: install it with `apt-get install postgresql` "
            "(or set PG_BIN to the directory that holds `postgres` and `initdb`)"
        )

    def major(path: str) -> int:
        match = re.search(r"/postgresql/(\d+)/", path)
        return int(match.group(1)) if match else 0

    return Path(max(candidates, key=major)).parent


def new_data_dir(prefix: str = "django-tw-") -> Path:
    """A fresh temporary data directory. mkdtemp makes it 0700; 0755 lets the Postgres account
    through when we are root."""
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

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> LocalTopology:
        data_dir = Path(environ.get("LOCAL_DIR") or DEFAULT_DATA_DIR).resolve()
        return cls(data_dir=data_dir, ports=Ports.from_environment(environ))

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
        """The db image's entrypoint guard, installed in the data directory as Dockerfile.db
        installs it in /usr/local/bin: the Postgres account may not be able to reach the checkout
        (a clone under /root, say), but it can always reach the data directory."""
        return self.data_dir / "bin" / "postgres-guard.sh"

    @property
    def prepare_script(self) -> Path:
        """The db image's postgres-prepare.sh, installed beside the guard for the same reason."""
        return self.data_dir / "bin" / "postgres-prepare.sh"

    @property
    def backup_script(self) -> Path:
        """service/db/postgres_backup.py, installed beside the guard as Dockerfile.db installs
        it in /usr/local/bin: Postgres' archive_command runs it as the Postgres account."""
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
        self.data_dir.mkdir(parents=True, exist_ok=True)
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
        venv_bin = REPO_ROOT / ".venv" / "bin"
        # barman's virtualenv after the project's: its python3 is what the Postgres account
        # finds (it cannot enter a venv under /root), while `python` stays the project's.
        path = os.pathsep.join(
            [
                str(venv_bin),
                str(postgres_bin_dir()),
                str(backup_tools.tools_bin()),
                base.get("PATH", os.defpath),
            ]
        )
        # Each container's variables, checked against service_contract.py: the names the task
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
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
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
            "NGINX_LISTEN_PORT": str(ports.http),
            "NGINX_UPSTREAM": f"127.0.0.1:{ports.web}",
            "NGINX_STATIC_ROOT": str(self.static_root),
            "NGINX_REAL_IP_FROM": "127.0.0.1/32",
        }
        from service_contract import DB, NGINX, WEB

        for contract, values in ((DB, db), (WEB, web), (NGINX, nginx)):
            contract.checked("make local", values)
        env = dict(base)
        env.update(
            {
                "PATH": path,
                "PYTHONUNBUFFERED": "1",
                "REPO_ROOT": str(REPO_ROOT),
                "LOCAL_DIR": str(self.data_dir),
                **ports.as_environment(),
                # local/bin/db's steps and port: in the image they are its entrypoint and 5432.
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


# --- preparing the data directory -----------------------------------------------------------


def _postgres_account() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(POSTGRES_SYSTEM_USER)
    except KeyError as missing:
        raise LocalSetupError(
            f"running as root needs the `{POSTGRES_SYSTEM_USER}` system account to run "
            "Postgres: install the postgresql package (`apt-get install postgresql`)"
        ) from missing


def as_postgres_user() -> list[str]:
    """Command prefix that runs a program as the Postgres account when we are root."""
    if not running_as_root():
        return []
    _postgres_account()
    return [
        "setpriv",
        f"--reuid={POSTGRES_SYSTEM_USER}",
        f"--regid={POSTGRES_SYSTEM_USER}",
        "--init-groups",
        "--",
    ]


def _check_reachable_by_postgres(path: Path) -> None:
    """Postgres runs as another account: every parent directory must let it through."""
    if not running_as_root():
        return
    probe = subprocess.run(
        [*as_postgres_user(), "test", "-x", str(path)], capture_output=True, check=False
    )
    if probe.returncode != 0:
        raise LocalSetupError(
            f"the `{POSTGRES_SYSTEM_USER}` account cannot reach {path}: give its parent "
            "directories o+x, or set LOCAL_DIR to a directory it can reach (e.g. under /srv)"
        )


def check_ports_free(ports: Ports) -> None:
    """Fail early, naming the variable to change, when something already listens on a port."""
    for name, port in ports.as_dict().items():
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError as busy:
                raise LocalSetupError(
                    f"port {port} ({name}) is already in use (another `make local`, or a system "
                    f"service?): stop it, or pick another port with {Ports.variable(name)}=..."
                ) from busy


def prepare(topology: LocalTopology) -> bool:
    """Create the data directory; initialise the database cluster the first time.

    Returns True when a new cluster was created (a cold start), False when data was there.
    """
    topology.data_dir.mkdir(parents=True, exist_ok=True)
    for directory in (topology.static_root, topology.nginx_dir, topology.s3_dir):
        directory.mkdir(exist_ok=True)
    secret = topology.secrets()
    topology.guard_script.parent.mkdir(exist_ok=True)
    for source, installed in (
        (GUARD_SOURCE, topology.guard_script),
        (PREPARE_SOURCE, topology.prepare_script),
        (BACKUP_SOURCE, topology.backup_script),
        *(
            (BACKUP_SOURCE.with_name(name), topology.backup_script.with_name(name))
            for name in BACKUP_MODULES
        ),
    ):
        if not source.exists():
            raise LocalSetupError(f"{source} is missing: part of the db container's entrypoint")
        shutil.copyfile(source, installed)  # refreshed on every start
        installed.chmod(0o755)
    backup_tools.ensure_installed()

    topology.postgres_dir.mkdir(mode=0o700, exist_ok=True)
    if running_as_root():
        account = _postgres_account()
        os.chown(topology.postgres_dir, account.pw_uid, account.pw_gid)
        _check_reachable_by_postgres(topology.postgres_dir)
    if (topology.pgdata / "PG_VERSION").exists():
        return False

    bin_dir = postgres_bin_dir()
    password_file = topology.postgres_dir / "initdb-password"
    fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret["POSTGRES_PASSWORD"])
    if running_as_root():
        account = _postgres_account()
        os.chown(password_file, account.pw_uid, account.pw_gid)
    try:
        _run_as_postgres(
            [
                str(bin_dir / "initdb"),
                f"--pgdata={topology.pgdata}",
                f"--username={DATABASE_SUPERUSER}",
                f"--pwfile={password_file}",
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            what="initdb",
        )
    finally:
        password_file.unlink(missing_ok=True)
    # The database and the application's role come from postgres-prepare.sh at the db process's
    # first start, as they do for an existing cluster in the task.
    return True


def _run_as_postgres(command: list[str], *, what: str, stdin: str | None = None) -> None:
    result = subprocess.run(
        [*as_postgres_user(), *command],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise LocalSetupError(
            f"{what} failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
