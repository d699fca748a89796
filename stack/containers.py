"""The Django service's containers as the task runs them, from stack/contract.py.

nginx, web and (with a managed database) db-init are specified here; the db container comes
from EfsPostgres and is only checked against the contract, like the others. Pure
functions of the stack's values: their tests call them with plain strings.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import pulumi

from components import (
    ContainerSpec,
    HealthCheck,
    LoadBalancerTarget,
    SecretKey,
)
from components.fargate.memory import MemoryNeed
from stack.app import DEMO_APP, AppSettings
from stack.commands import RELEASE, SCHEDULER, WORKER
from stack.contract import DB, DB_INIT, TASK_CONTRACTS, WEB

# The images moved to stack/images.py; their names stay importable from here.
from stack.images import DOCKERFILES as DOCKERFILES
from stack.images import IMAGE_CONTEXT as IMAGE_CONTEXT
from stack.images import PLATFORM_IMAGES as PLATFORM_IMAGES
from stack.images import STATIC_IMAGE_ARG as STATIC_IMAGE_ARG
from stack.images import image_args as image_args

NGINX_PORT, WEB_PORT = 8080, 8000
# Containers of the task share one loopback. By address: "localhost" may resolve to ::1 first,
# where nothing listens.
LOOPBACK = "127.0.0.1"
# Where both images hold the static files: the web image collects them when it is built
# (DJANGO_STATIC_ROOT), the nginx image copies them out of it (components/images/nginx/Dockerfile,
# NGINX_STATIC_ROOT): the task mounts no volume there and sets neither variable.
STATIC_ROOT = "/var/www/static"
# gunicorn starts after `migrate` (under an advisory lock) at web start: failures before that
# must not count.
WEB_START_PERIOD = 120
# Stopping a web task, in order: the load balancer sends it no new request and lets those in
# flight finish (the target group's deregistration delay); then ECS sends SIGTERM, gunicorn gives
# its workers graceful_timeout to finish, and ECS sends SIGKILL after the web container's
# stopTimeout. All from one constant, gunicorn's graceful_timeout (django_fargate.gunicorn_conf's
# default; a test holds the two equal), plus a margin for the processes to exit.
GRACEFUL_TIMEOUT = 20
SHUTDOWN_MARGIN = 10
WEB_STOP_TIMEOUT = GRACEFUL_TIMEOUT + SHUTDOWN_MARGIN
DEREGISTRATION_DELAY = GRACEFUL_TIMEOUT + SHUTDOWN_MARGIN
SETTINGS_MODULE = DEMO_APP.settings_module
# The task's memory (components/fargate/memory.py): nginx a small fixed part (its rate-limit
# zones are 10 MiB each), web and the database (if in the task) the rest in equal shares, so
# neither can take the other's. web runs on about 150 MiB with one worker; a worker past the
# web container's limit is killed alone and gunicorn starts another.
NGINX_MEMORY = MemoryNeed(reservation=32, limit=64)
WEB_MEMORY = MemoryNeed(reservation=DEMO_APP.web_memory, share=1)
# EMAIL_PORT of a site that sends no mail: SES's STARTTLS port, the settings' own default.
SMTP_PORT = 587


class WebSettings(Protocol):
    """The stack settings the web container follows (stack.settings.StackSettings has them)."""

    @property
    def domain(self) -> str:
        """The site's domain; empty: the load balancer's DNS name."""

    @property
    def uses_tls(self) -> bool:
        """False: plain http (no certificate), so Django must not redirect to HTTPS."""

    @property
    def region(self) -> str: ...

    @property
    def mail_from(self) -> str:
        """The sender's address; empty: no-reply@ the domain."""

    @property
    def web_concurrency(self) -> int: ...

    @property
    def hsts_include_subdomains(self) -> bool:
        """HSTS covers every name under the domain too (an explicit opt-in)."""

    @property
    def hsts_preload(self) -> bool:
        """HSTS asks for the browsers' preload lists (an explicit opt-in)."""


class SmtpRelay(Protocol):
    """Where the web container sends mail (what SesMail gives)."""

    @property
    def smtp_host(self) -> str: ...

    @property
    def smtp_port(self) -> int: ...

    @property
    def username_secret_arn(self) -> pulumi.Input[str]: ...

    @property
    def password_secret_arn(self) -> pulumi.Input[str]: ...


def _flag(value: bool) -> str:
    return "true" if value else "false"


def web_environment(
    settings: WebSettings,
    *,
    load_balancer_dns_name: pulumi.Input[str],
    media_bucket_name: pulumi.Input[str],
    smtp: SmtpRelay | None,
    app: AppSettings = DEMO_APP,
) -> dict[str, pulumi.Input[str]]:
    """The web container's plain environment (stack.contract.WEB), then the app's own
    (``app.environment``, names the contract does not hold). ``smtp`` None: the site sends no
    mail."""
    environment: dict[str, pulumi.Input[str]] = {
        "DJANGO_SETTINGS_MODULE": app.settings_module,
        "DJANGO_ALLOWED_HOSTS": settings.domain or load_balancer_dns_name,
        "AWS_STORAGE_BUCKET_NAME": media_bucket_name,
        "AWS_S3_REGION_NAME": settings.region,
        "EMAIL_HOST": smtp.smtp_host if smtp else "",
        "EMAIL_PORT": str(smtp.smtp_port if smtp else SMTP_PORT),
        "EMAIL_USE_TLS": "true",
        "DEFAULT_FROM_EMAIL": settings.mail_from or f"no-reply@{settings.domain or 'localhost'}",
        "WEB_CONCURRENCY": str(settings.web_concurrency),
        # Only nginx talks to gunicorn, over the task's loopback.
        "GUNICORN_BIND": f"{LOOPBACK}:{WEB_PORT}",
        # Both off unless the stack opts in: a preloaded apex covers every subdomain of the zone.
        "DJANGO_HSTS_INCLUDE_SUBDOMAINS": _flag(settings.hsts_include_subdomains),
        "DJANGO_HSTS_PRELOAD": _flag(settings.hsts_preload),
    }
    if not settings.uses_tls:
        environment["DJANGO_HTTPS"] = "false"
    environment.update(app.environment)
    return environment


def web_secrets(
    *,
    secret_key_arn: pulumi.Input[str],
    database_url_secret_arn: pulumi.Input[str],
    smtp: SmtpRelay | None,
    app_secret_arns: Mapping[str, pulumi.Input[str]] | None = None,
) -> dict[str, pulumi.Input[str]]:
    """The web container's secrets: environment name -> Secrets Manager ARN. The database URL
    is the application role's (EfsPostgres.database_url_secret_arn); ``app_secret_arns`` are
    the app's own (``stack.commands.app_secrets``)."""
    secrets: dict[str, pulumi.Input[str]] = {
        "DJANGO_SECRET_KEY": secret_key_arn,
        "DATABASE_URL": database_url_secret_arn,
    }
    if smtp is not None:
        # The SMTP user name is an IAM access key id: it stays out of plain environment too.
        secrets["EMAIL_HOST_USER"] = smtp.username_secret_arn
        secrets["EMAIL_HOST_PASSWORD"] = smtp.password_secret_arn
    secrets.update(app_secret_arns or {})
    return secrets


def web_container(
    settings: WebSettings,
    *,
    image: pulumi.Input[str],
    load_balancer_dns_name: pulumi.Input[str],
    media_bucket_name: pulumi.Input[str],
    smtp: SmtpRelay | None,
    secret_key_arn: pulumi.Input[str],
    database_url_secret_arn: pulumi.Input[str],
    waits_for: Mapping[str, str] | None = None,
    app: AppSettings = DEMO_APP,
    app_secret_arns: Mapping[str, pulumi.Input[str]] | None = None,
) -> ContainerSpec:
    """gunicorn + Django on the loopback, after what the database needs first: by default the
    db container HEALTHY; with a managed database the db-init container's SUCCESS
    (``stack.database.StackDatabase.web_waits_for``)."""
    return ContainerSpec(
        name="web",
        image=image,
        port=WEB_PORT,
        environment=web_environment(
            settings,
            load_balancer_dns_name=load_balancer_dns_name,
            media_bucket_name=media_bucket_name,
            smtp=smtp,
            app=app,
        ),
        secrets=web_secrets(
            secret_key_arn=secret_key_arn,
            database_url_secret_arn=database_url_secret_arn,
            smtp=smtp,
            app_secret_arns=app_secret_arns,
        ),
        # Liveness of gunicorn, without the database (django_fargate.healthcheck's probe).
        health_check=HealthCheck(
            command=["CMD-SHELL", app.liveness_command],
            start_period=WEB_START_PERIOD,
        ),
        depends_on=dict(waits_for) if waits_for is not None else {DB.container: "HEALTHY"},
        stop_timeout=WEB_STOP_TIMEOUT,  # gunicorn's graceful_timeout, then SIGKILL
        user="10001:10001",  # the app user of service/Dockerfile
        memory=MemoryNeed(reservation=app.web_memory, share=1),
    )


class StackWebSettings(WebSettings, Protocol):
    @property
    def app(self) -> AppSettings: ...


def web_of(
    settings: StackWebSettings,
    parts: Mapping[str, Any],
    app_secret_arns: Mapping[str, pulumi.Input[str]],
) -> ContainerSpec:
    """The stack's web container from the parts ``__main__.py`` declared (by name: ``images``,
    ``entrance``, ``media``, ``mail``, ``secret_key``, ``data``): what each gives it."""
    data = parts["data"]
    return web_container(
        settings,
        image=parts["images"].image_uris["web"],
        load_balancer_dns_name=parts["entrance"].dns_name,
        media_bucket_name=parts["media"].bucket_name,
        smtp=parts["mail"],
        secret_key_arn=parts["secret_key"].arn,
        database_url_secret_arn=data.database.database_url_secret_arn,
        waits_for=data.web_waits_for,  # the release step waits for it: db HEALTHY, or db-init
        app=settings.app,
        app_secret_arns=app_secret_arns,
    )


class ManagedDatabase(Protocol):
    """Where the db-init container connects, and as whom (what RdsPostgres gives)."""

    @property
    def address(self) -> pulumi.Input[str]: ...

    @property
    def port(self) -> int: ...

    @property
    def master_username(self) -> SecretKey: ...

    @property
    def master_password(self) -> SecretKey: ...

    @property
    def app_password_secret_arn(self) -> pulumi.Input[str]: ...

    @property
    def ca_bundle_path(self) -> str:
        """Where the client image keeps the RDS CA bundle (the web image: service/Dockerfile)."""


# The command of the db-init container: the role runner of the platform's Django library, which
# every web image installs (the generic image and an app's own Dockerfile alike).
DB_INIT_COMMAND = ("python", "-m", "django_fargate.rds_app_role")


def db_init_container(
    image: pulumi.Input[str], database: ManagedDatabase, *, database_name: str, app_user: str
) -> ContainerSpec:
    """Before web starts in every task: makes the application role on RDS as the master user,
    over TLS verified against the RDS CA bundle, then exits (django_fargate.rds_app_role).

    Not essential, so its exit does not stop the task, and web waits for its SUCCESS (a zero
    exit code): a failure leaves web unstarted and the task stops, as a failed migration would
    (ECS: a SUCCESS dependency is allowed only on a non-essential container,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html).
    Its credentials are secrets the execution role reads at start: the master user's two keys
    of the secret RDS manages, and the application role's password."""
    return ContainerSpec(
        name=DB_INIT.container,
        image=image,
        command=DB_INIT_COMMAND,
        essential=False,
        environment={
            "PGHOST": database.address,
            "PGPORT": str(database.port),
            "PGDATABASE": database_name,
            "PGSSLMODE": "verify-full",
            "PGSSLROOTCERT": database.ca_bundle_path,
            "APP_DB_USER": app_user,
        },
        secrets={
            "PGUSER": database.master_username,
            "PGPASSWORD": database.master_password,
            "APP_DB_PASSWORD": database.app_password_secret_arn,
        },
        user="10001:10001",  # the app user of service/Dockerfile, as in web
    )


def nginx_container(image: pulumi.Input[str], real_ip_from: str) -> ContainerSpec:
    """nginx in front of gunicorn, serving /static/ from its own image; ``real_ip_from`` is the
    CIDR of the proxy in front of it (the VPC's: the load balancer)."""
    return ContainerSpec(
        name="nginx",
        image=image,
        port=NGINX_PORT,
        environment={
            "NGINX_LISTEN_PORT": str(NGINX_PORT),
            # Same task, same network namespace: the loopback, never a container name.
            "NGINX_UPSTREAM": f"{LOOPBACK}:{WEB_PORT}",
            "NGINX_REAL_IP_FROM": real_ip_from,
        },
        # Liveness of nginx itself (it answers /livez without proxying): a database hiccup must
        # not make ECS replace the whole task. Readiness, with the database, is the ALB's /healthz.
        health_check=HealthCheck(
            command=["CMD-SHELL", f"curl -fsS http://{LOOPBACK}:{NGINX_PORT}/livez || exit 1"]
        ),
        depends_on={"web": "HEALTHY"},
        user="101:101",  # nginxinc/nginx-unprivileged's nginx user
        memory=NGINX_MEMORY,
    )


class Entrance(Protocol):
    """The load balancer in front of nginx (what PublicEntrance gives)."""

    @property
    def load_balancer_arn(self) -> pulumi.Output[str]: ...

    @property
    def target_group_arn(self) -> pulumi.Output[str]: ...

    @property
    def security_group_id(self) -> pulumi.Output[str]: ...


def nginx_target(entrance: Entrance) -> LoadBalancerTarget:
    """nginx's port in the entrance's target group. With the load balancer's ARN, so that a
    deployment whose tasks answer 5xx is rolled back."""
    return LoadBalancerTarget(
        entrance.target_group_arn,
        "nginx",
        NGINX_PORT,
        entrance.security_group_id,
        load_balancer_arn=entrance.load_balancer_arn,
    )


# The app's command containers run the web image with web's environment (stack/commands.py).
COMMAND_CONTAINERS = (RELEASE, SCHEDULER, WORKER)


def task_containers(
    *containers: ContainerSpec,
    managed_database: bool = False,
    app: AppSettings = DEMO_APP,
) -> list[ContainerSpec]:
    """The task's containers, each checked against its contract (stack/contract.py): nginx,
    web and db, or with ``managed_database`` (Postgres outside the task) nginx, web and
    db-init, each with exactly the variables the contract allows in AWS; the release step,
    the scheduler and the worker (if any) with web's. The app's own environment and secrets
    (``app``) are the app's to name, so outside the contract."""
    names = sorted(c.name for c in containers if c.name not in COMMAND_CONTAINERS)
    left_out = DB.container if managed_database else DB_INIT.container
    expected = sorted(n for n in TASK_CONTRACTS if n != left_out)
    if names != expected:
        raise ValueError(
            f"the task has the containers {names}; stack/contract.py declares {expected}"
            + (
                " (with a managed database db is outside the task and db-init makes the "
                "application role)"
                if managed_database
                else ""
            )
        )
    own = {name for name, _ in app.environment} | set(app.secrets)
    for container in containers:
        contract = WEB if container.name in COMMAND_CONTAINERS else TASK_CONTRACTS[container.name]
        contract.checked(
            "the stack",
            {k: v for k, v in container.environment.items() if k not in own},
            {k: v for k, v in container.secrets.items() if k not in own},
            in_aws=True,
        )
    return list(containers)


def start_grace_seconds(containers: Sequence[ContainerSpec]) -> int:
    """The containers start one after another (db or db-init, web, nginx): the load balancer
    may judge the task only once all of them may have."""
    return sum(c.health_check.start_period for c in containers if c.health_check)
