"""stack/containers.py: the nginx and web containers of the task, from the contract."""

import runpy
from dataclasses import dataclass, replace

import pytest

from components import ContainerSpec, SecretKey
from components.entrance.load_balancer import target_health_check
from stack.app import GENERIC_DOCKERFILE
from stack.containers import (
    DEREGISTRATION_DELAY,
    DOCKERFILES,
    GRACEFUL_TIMEOUT,
    LOOPBACK,
    NGINX_PORT,
    STATIC_ROOT,
    WEB_PORT,
    WEB_START_PERIOD,
    WEB_STOP_TIMEOUT,
    db_init_container,
    image_args,
    nginx_container,
    nginx_target,
    start_grace_seconds,
    task_containers,
    web_container,
    web_environment,
    web_secrets,
)
from stack.contract import DB, DB_INIT, NGINX, WEB
from stack.paths import DJANGO_FARGATE_SRC, REPO_ROOT


@dataclass(frozen=True)
class Settings:
    domain: str = "tw.example.com"
    uses_tls: bool = True
    region: str = "ap-northeast-1"
    mail_from: str = "noreply@example.com"
    web_concurrency: int = 3
    hsts_include_subdomains: bool = False
    hsts_preload: bool = False


@dataclass(frozen=True)
class Mail:
    smtp_host: str = "email-smtp.ap-northeast-1.amazonaws.com"
    smtp_port: int = 587
    username_secret_arn: str = "arn:smtp-user"
    password_secret_arn: str = "arn:smtp-password"


def web(
    settings: Settings = Settings(), smtp: Mail | None = Mail(), **database: str | None
) -> ContainerSpec:
    return web_container(
        settings,
        image="web-image",
        load_balancer_dns_name="tw-alb.elb.amazonaws.com",
        media_bucket_name="tw-media",
        smtp=smtp,
        secret_key_arn="arn:secret-key",
        database_url_secret_arn="arn:database-url",
        **database,
    )


def db() -> ContainerSpec:
    """A db container as EfsPostgres gives it: every required name of the contract."""
    return ContainerSpec(
        name="db",
        image="db-image",
        environment=dict.fromkeys(DB.required - DB.secrets, "x"),
        secrets=dict.fromkeys(DB.secrets, "arn:x"),
    )


def test_the_web_container_follows_the_contract_with_and_without_mail_and_tls():
    for container in (web(), web(Settings(domain="", mail_from="", uses_tls=False), None)):
        assert WEB.differences(container.environment, container.secrets, in_aws=True) == []


def test_the_web_environment_of_a_site_with_a_domain_and_mail():
    assert web_environment(
        Settings(), load_balancer_dns_name="alb", media_bucket_name="tw-media", smtp=Mail()
    ) == {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_ALLOWED_HOSTS": "tw.example.com",
        "AWS_STORAGE_BUCKET_NAME": "tw-media",
        "AWS_S3_REGION_NAME": "ap-northeast-1",
        "EMAIL_HOST": "email-smtp.ap-northeast-1.amazonaws.com",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "true",
        "DEFAULT_FROM_EMAIL": "noreply@example.com",
        "WEB_CONCURRENCY": "3",
        "GUNICORN_BIND": f"127.0.0.1:{WEB_PORT}",
        "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "false",
        "DJANGO_HSTS_PRELOAD": "false",
    }


def test_hsts_covers_subdomains_and_asks_for_preload_only_when_the_stack_opts_in():
    opted_in = Settings(hsts_include_subdomains=True, hsts_preload=True)
    environment = web_environment(
        opted_in, load_balancer_dns_name="alb", media_bucket_name="tw-media", smtp=None
    )
    assert environment["DJANGO_HSTS_INCLUDE_SUBDOMAINS"] == "true"
    assert environment["DJANGO_HSTS_PRELOAD"] == "true"
    assert WEB.differences(environment, {}, in_aws=True) == [
        "web: DATABASE_URL, DJANGO_SECRET_KEY missing (the contract needs it)"
    ]


def test_a_site_without_domain_answers_on_the_load_balancer_over_plain_http():
    environment = web_environment(
        Settings(domain="", uses_tls=False, mail_from=""),
        load_balancer_dns_name="tw-alb.elb.amazonaws.com",
        media_bucket_name="tw-media",
        smtp=None,
    )
    assert environment["DJANGO_ALLOWED_HOSTS"] == "tw-alb.elb.amazonaws.com"
    assert environment["DJANGO_HTTPS"] == "false"
    assert environment["EMAIL_HOST"] == ""
    assert environment["DEFAULT_FROM_EMAIL"] == "no-reply@localhost"


def test_the_smtp_credentials_are_secrets_and_only_with_mail():
    with_mail = web_secrets(secret_key_arn="arn:k", database_url_secret_arn="arn:d", smtp=Mail())
    assert with_mail == {
        "DJANGO_SECRET_KEY": "arn:k",
        "DATABASE_URL": "arn:d",
        "EMAIL_HOST_USER": "arn:smtp-user",
        "EMAIL_HOST_PASSWORD": "arn:smtp-password",
    }
    without = web_secrets(secret_key_arn="arn:k", database_url_secret_arn="arn:d", smtp=None)
    assert without == {"DJANGO_SECRET_KEY": "arn:k", "DATABASE_URL": "arn:d"}


def test_web_waits_for_a_healthy_db_and_checks_its_own_liveness():
    container = web()
    assert container.port == WEB_PORT
    assert container.depends_on == {"db": "HEALTHY"}
    assert container.health_check is not None
    (shell, probe) = container.health_check.command
    assert (shell, probe.split()[:2]) == ("CMD-SHELL", ["python", "-c"])
    assert "'http://127.0.0.1:8000/livez'" in probe
    assert container.user == "10001:10001"


def test_nginx_proxies_to_gunicorn_on_the_loopback():
    container = nginx_container("nginx-image", real_ip_from="10.0.0.0/16")
    assert container.environment == {
        "NGINX_LISTEN_PORT": str(NGINX_PORT),
        "NGINX_UPSTREAM": f"{LOOPBACK}:{WEB_PORT}",
        "NGINX_REAL_IP_FROM": "10.0.0.0/16",
    }
    assert NGINX.differences(container.environment, container.secrets, in_aws=True) == []
    assert container.depends_on == {"web": "HEALTHY"}


def test_static_files_come_from_the_images_not_from_a_shared_volume():
    # Both images collect the static files at build time to STATIC_ROOT and say so in their ENV:
    # the task mounts nothing there and does not move them.
    nginx, django = nginx_container("nginx-image", real_ip_from="10.0.0.0/16"), web()
    assert list(nginx.mounts) == []
    assert list(django.mounts) == []
    assert "NGINX_STATIC_ROOT" not in nginx.environment
    assert "DJANGO_STATIC_ROOT" not in django.environment
    # The platform's own web image; an app's own Dockerfile is its tests' (the demo's:
    # service/tests/test_dockerfile.py).
    images = {
        name: (REPO_ROOT / path).read_text() for name, path in DOCKERFILES.items() if name != "web"
    }
    images["web"] = (REPO_ROOT / GENERIC_DOCKERFILE).read_text()
    assert f"NGINX_STATIC_ROOT={STATIC_ROOT}" in images["nginx"]
    assert f"DJANGO_STATIC_ROOT={STATIC_ROOT}" in images["web"]
    assert f"COPY --from=static {STATIC_ROOT} {STATIC_ROOT}" in images["nginx"]


def test_the_task_takes_the_three_containers_of_the_contract():
    nginx = nginx_container("nginx-image", real_ip_from="10.0.0.0/16")
    assert [c.name for c in task_containers(nginx, web(), db())] == ["nginx", "web", "db"]
    with pytest.raises(ValueError, match=r"the task has the containers \['nginx', 'web'\]"):
        task_containers(nginx, web())


def test_a_container_that_strays_from_the_contract_is_refused_by_name():
    nginx = nginx_container("nginx-image", real_ip_from="10.0.0.0/16")
    extra = replace(db(), environment={**db().environment, "PGOPTIONS": "-c x=1"})
    with pytest.raises(ValueError, match="PGOPTIONS not in the contract"):
        task_containers(nginx, web(), extra)
    stand_in = replace(db(), environment={**db().environment, "BACKUP_ENDPOINT_URL": "http://s3"})
    with pytest.raises(ValueError, match="BACKUP_ENDPOINT_URL points at a local stand-in"):
        task_containers(nginx, web(), stand_in)


def test_the_grace_period_lets_the_load_balancer_take_in_a_slow_starting_web_task():
    check = target_health_check("/healthz")
    taken_in = check.healthy_threshold * check.interval  # two passes, 15 s apart
    nginx = nginx_container("nginx-image", real_ip_from="10.0.0.0/16")
    assert start_grace_seconds([nginx, web(waits_for={})]) >= (WEB_START_PERIOD + taken_in)


def test_the_grace_period_covers_every_start_period_in_turn():
    nginx = nginx_container("nginx-image", real_ip_from="10.0.0.0/16")
    assert start_grace_seconds([nginx, web(), db()]) == 30 + 120  # db() has no health check


# A Fargate Spot task is stopped two minutes after its warning.
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
SPOT_WARNING_SECONDS = 120


def gunicorn_defaults(monkeypatch) -> dict:
    """django_fargate.gunicorn_conf's values where the environment sets none of them."""
    for name in ("GUNICORN_TIMEOUT", "GUNICORN_GRACEFUL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(DJANGO_FARGATE_SRC / "django_fargate" / "gunicorn_conf.py"))


def test_the_stack_s_graceful_timeout_is_gunicorn_s(monkeypatch):
    assert gunicorn_defaults(monkeypatch)["graceful_timeout"] == GRACEFUL_TIMEOUT


def test_a_stopped_web_task_finishes_its_requests_before_anything_is_killed(monkeypatch):
    gunicorn = gunicorn_defaults(monkeypatch)
    # The load balancer keeps a request in flight at least as long as gunicorn lets it run.
    assert max(gunicorn["timeout"], GRACEFUL_TIMEOUT) <= DEREGISTRATION_DELAY
    # After SIGTERM, gunicorn's graceful stop ends before ECS sends SIGKILL.
    assert web().stop_timeout == WEB_STOP_TIMEOUT > GRACEFUL_TIMEOUT
    # Draining and stopping together fit Fargate Spot's two-minute warning.
    assert DEREGISTRATION_DELAY + WEB_STOP_TIMEOUT <= SPOT_WARNING_SECONDS


def test_images_are_built_for_the_tasks_architecture_and_kept_on_production():
    arm = image_args("ARM64", production=True)
    assert (arm.platform, arm.force_delete, dict(arm.dockerfiles)) == (
        "linux/arm64",
        False,
        DOCKERFILES,
    )
    assert image_args("X86_64", production=False).platform == "linux/amd64"
    assert image_args("X86_64", production=False).force_delete is True


@dataclass(frozen=True)
class Entrance:
    load_balancer_arn: str = "arn:lb"
    target_group_arn: str = "arn:tg"
    security_group_id: str = "sg-alb"


def test_nginx_joins_the_target_group_with_the_load_balancer_that_scopes_its_rollback():
    target = nginx_target(Entrance())
    assert (target.container_name, target.container_port) == ("nginx", NGINX_PORT)
    assert (target.target_group_arn, target.source_security_group_id) == ("arn:tg", "sg-alb")
    assert target.load_balancer_arn == "arn:lb"


MASTER_SECRET = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-1-AbCdEf"
MASTER_USERNAME = SecretKey(MASTER_SECRET, "username")
MASTER_PASSWORD = SecretKey(MASTER_SECRET, "password")


@dataclass(frozen=True)
class Rds:
    """What RdsPostgres gives the db-init container."""

    address: str = "tw-rds.abc.ap-northeast-1.rds.amazonaws.com"
    port: int = 5432
    master_username: SecretKey = MASTER_USERNAME
    master_password: SecretKey = MASTER_PASSWORD
    app_password_secret_arn: str = "arn:app-password"
    ca_bundle_path: str = "/etc/ssl/certs/rds-global-bundle.pem"


def db_init() -> ContainerSpec:
    return db_init_container("web-image", Rds(), database_name="django_tw", app_user="django_tw")


def test_db_init_makes_the_app_role_as_the_master_user_then_exits():
    init = db_init()
    assert init.name == "db-init"
    assert init.essential is False  # its exit must not stop the task
    # The platform's library, in every web image: no script of the app's own.
    assert list(init.command) == ["python", "-m", "django_fargate.rds_app_role"]
    assert (DJANGO_FARGATE_SRC / "django_fargate" / "rds_app_role.py").is_file()
    assert init.environment["PGSSLMODE"] == "verify-full"
    assert init.environment["PGSSLROOTCERT"] == Rds().ca_bundle_path
    assert init.secrets == {
        "PGUSER": MASTER_USERNAME,
        "PGPASSWORD": MASTER_PASSWORD,
        "APP_DB_PASSWORD": "arn:app-password",
    }
    assert DB_INIT.differences(init.environment, init.secrets, in_aws=True) == []
    assert init.user == web().user


def test_with_a_managed_database_the_task_is_nginx_web_and_db_init():
    nginx = nginx_container("nginx-image", real_ip_from="10.0.0.0/16")
    stateless_web = web(waits_for={"db-init": "SUCCESS"})
    assert stateless_web.depends_on == {"db-init": "SUCCESS"}
    names = [
        c.name for c in task_containers(nginx, stateless_web, db_init(), managed_database=True)
    ]
    assert names == ["nginx", "web", "db-init"]
    with pytest.raises(ValueError, match="db is outside the task and db-init makes"):
        task_containers(nginx, stateless_web, db(), managed_database=True)
    with pytest.raises(ValueError, match="db is outside the task and db-init makes"):
        task_containers(nginx, stateless_web, managed_database=True)
    with pytest.raises(ValueError, match=r"declares \['db', 'nginx', 'web'\]"):
        task_containers(nginx, web(), db(), db_init())
    assert sorted(image_args("ARM64", production=True, managed_database=True).dockerfiles) == [
        "django-fargate",
        "nginx",
        "web",
    ]
