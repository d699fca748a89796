"""The prod stack's task and its containers, run from __main__.py with Pulumi.prod.yaml's
settings: the points of the reference setup about the task (docs/DESIGN.md, The reference
setup)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from components.fargate.roles import ECS_EXEC_ACTIONS
from stack.contract import CONTRACTS
from stack.settings import load_settings
from tests.stack_runs import (
    SERVICE,
    containers,
    environment,
    policy_statements,
    prod_config,
    run_main,
    secret_value,
    secrets,
    service_task_definition,
    stack_config,
)


def test_the_containers_run_in_one_fargate_task_on_awsvpc(prod):
    task_definition = service_task_definition(prod)
    # nginx, web and db serve; release (migrations) and scheduler (the app's scheduled
    # commands, which Pulumi.prod.yaml sets) run the web image beside them.
    assert set(containers(prod)) == {"nginx", "web", "release", "scheduler", "db"}
    assert task_definition.inputs["networkMode"] == "awsvpc"
    assert task_definition.inputs["requiresCompatibilities"] == ["FARGATE"]
    assert prod.one(SERVICE).inputs["launchType"] == "FARGATE"


def test_containers_talk_over_the_loopback_address(prod):
    # 127.0.0.1, not "localhost", which may resolve to ::1 first, where nothing listens.
    by_name = containers(prod)
    assert environment(by_name["nginx"])["NGINX_UPSTREAM"] == "127.0.0.1:8000"
    assert environment(by_name["web"])["GUNICORN_BIND"] == "127.0.0.1:8000"
    url = urlsplit(secret_value(prod, secrets(by_name["web"])["DATABASE_URL"]))
    settings = load_settings(stack_config("prod"))
    assert url.scheme == "postgres"
    assert url.hostname == "127.0.0.1"
    assert url.port == 5432
    assert url.username == settings.database_user
    assert url.path == f"/{settings.database_name}"
    assert url.password  # generated, not empty


def test_db_health_check_is_pg_isready_over_tcp_not_psql(prod):
    command = containers(prod)["db"]["healthCheck"]["command"]
    assert command[0] == "CMD-SHELL"
    assert "pg_isready -h 127.0.0.1" in command[1]
    assert "psql" not in command[1]
    # initdb or crash recovery on EFS takes minutes: ECS's longest start period
    assert containers(prod)["db"]["healthCheck"]["startPeriod"] == 300


def test_container_checks_are_liveness_and_the_alb_checks_readiness(prod):
    by_name = containers(prod)
    assert by_name["nginx"]["healthCheck"]["command"] == [
        "CMD-SHELL",
        "curl -fsS http://127.0.0.1:8080/livez || exit 1",
    ]
    # gunicorn's /livez on the loopback, asked with the standard library only.
    (shell, probe) = by_name["web"]["healthCheck"]["command"]
    assert (shell, probe.split()[:2]) == ("CMD-SHELL", ["python", "-c"])
    assert "'http://127.0.0.1:8000/livez'" in probe
    assert by_name["web"]["healthCheck"]["startPeriod"] == 120
    assert prod.one("aws:lb/targetGroup:TargetGroup").inputs["healthCheck"]["path"] == "/healthz"
    starts = sum(c["healthCheck"]["startPeriod"] for c in by_name.values() if "healthCheck" in c)
    assert prod.one(SERVICE).inputs["healthCheckGracePeriodSeconds"] == starts == 450


def test_web_starts_after_the_release_step_which_waits_for_healthy_db(prod):
    by_name = containers(prod)
    assert by_name["release"]["dependsOn"] == [{"containerName": "db", "condition": "HEALTHY"}]
    assert by_name["web"]["dependsOn"] == [{"containerName": "release", "condition": "SUCCESS"}]
    assert by_name["nginx"]["dependsOn"] == [{"containerName": "web", "condition": "HEALTHY"}]
    assert by_name["release"]["command"] == ["python", "manage.py", "migrate_locked", "--noinput"]
    assert by_name["release"]["essential"] is False  # SUCCESS needs a non-essential container
    for name in ("db", "web"):
        assert by_name[name]["healthCheck"]["command"], f"{name} must have a health check"


def test_the_only_task_volume_is_the_database_on_efs(prod):
    # Static files are in the web and nginx images: no bind mount whose owner (root, 0755 on
    # Fargate) decides whether a container can start.
    volumes = service_task_definition(prod).inputs["volumes"]
    assert [bool(volume.get("efsVolumeConfiguration")) for volume in volumes] == [True]
    mounted = {
        container["name"]: [m["sourceVolume"] for m in container.get("mountPoints") or []]
        for container in json.loads(service_task_definition(prod).inputs["containerDefinitions"])
    }
    assert mounted == {
        "nginx": [],
        "web": [],
        "release": [],
        "scheduler": [],
        "db": [volumes[0]["name"]],
    }


def test_every_container_follows_the_environment_contract(prod):
    commands = {"release", "scheduler"}  # the web image, with web's environment
    assert set(containers(prod)) - commands == set(CONTRACTS)
    for name, container in containers(prod).items():
        given = environment(container), secrets(container)
        contract = CONTRACTS["web"] if name in commands else CONTRACTS[name]
        assert contract.differences(*given, in_aws=True) == [], name


def test_web_environment_follows_the_contract(prod):
    web = containers(prod)["web"]
    env = environment(web)
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert env["DJANGO_ALLOWED_HOSTS"] == "tw.example.com"
    assert "DJANGO_STATIC_ROOT" not in env  # the image's own: it collected them there
    assert env["AWS_STORAGE_BUCKET_NAME"] == prod.outputs["media_bucket_name"]
    assert env["AWS_S3_REGION_NAME"] == "ap-northeast-1"
    assert env["EMAIL_HOST"] == "email-smtp.ap-northeast-1.amazonaws.com"
    assert env["EMAIL_PORT"] == "587"
    assert env["DEFAULT_FROM_EMAIL"] == "noreply@example.com"
    assert set(secrets(web)) == {
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
    }


def test_nginx_and_db_environment_follow_the_contract(prod):
    by_name = containers(prod)
    assert environment(by_name["nginx"]) == {
        "NGINX_LISTEN_PORT": "8080",
        "NGINX_UPSTREAM": "127.0.0.1:8000",
        "NGINX_REAL_IP_FROM": "10.0.0.0/16",
    }
    assert environment(by_name["db"]) == {
        "POSTGRES_USER": "postgres",
        "POSTGRES_DB": "django_tw",
        "POSTGRES_APP_USER": "django_tw",
        "POSTGRES_INITDB_ARGS": "--auth-host=scram-sha-256 --auth-local=scram-sha-256",
        "PGDATA": "/var/lib/postgresql/data/pgdata",
        "BACKUP_DESTINATION_URL": prod.outputs["backup_destination_url"],
        "BACKUP_SERVER_NAME": "postgres",
        "BACKUP_RETENTION_DAYS": "14",
        "BASE_BACKUP_TIME": "17:00",
        "ARCHIVE_TIMEOUT_SECONDS": "60",
        "AWS_DEFAULT_REGION": "ap-northeast-1",
        "DB_SIGNALS_NAMESPACE": "django-tw/database",
        "DB_SIZE_BUDGET_BYTES": str(20 * 2**30),
    }
    assert set(secrets(by_name["db"])) == {"POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD"}
    assert not secrets(by_name["nginx"])


def test_every_container_logs_to_its_own_group_with_retention(prod):
    groups = {g.inputs["name"]: g for g in prod.of_type("aws:cloudwatch/logGroup:LogGroup")}
    # one per container, the VPC's flow logs, ECS Exec sessions, the restore drill
    assert len(groups) == len(containers(prod)) + 3
    for name, container in containers(prod).items():
        log = container["logConfiguration"]
        assert log["logDriver"] == "awslogs"
        assert log["options"]["awslogs-region"] == "ap-northeast-1"
        group = groups[log["options"]["awslogs-group"]]
        assert group.inputs["retentionInDays"] == 30
        assert prod.outputs["log_group_names"][name] == group.inputs["name"]


def test_ecs_exec_is_enabled_with_the_four_ssmmessages_actions(prod):
    assert prod.one(SERVICE).inputs["enableExecuteCommand"] is True
    exec_statement = next(
        s for s in policy_statements(prod, "task-policy") if s["Sid"] == "EcsExec"
    )
    assert sorted(exec_statement["Action"]) == sorted(ECS_EXEC_ACTIONS)
    assert all(c["linuxParameters"]["initProcessEnabled"] for c in containers(prod).values())
    command = prod.outputs["exec_command"]
    assert command.startswith("aws ecs execute-command --region ap-northeast-1 ")
    assert f"--cluster {prod.outputs['cluster_name']}" in command
    assert f"--service-name {prod.outputs['service_name']}" in command
    assert "--container web --interactive" in command


def test_single_writer_postgres_means_one_task_stopped_before_the_next(prod):
    service = prod.one(SERVICE).inputs
    assert service["desiredCount"] == 1
    assert service["deploymentMinimumHealthyPercent"] == 0
    assert service["deploymentMaximumPercent"] == 100
    assert service["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert containers(prod)["db"]["stopTimeout"] == 120


def test_cluster_has_container_insights(prod):
    cluster = prod.one("aws:ecs/cluster:Cluster")
    assert {"name": "containerInsights", "value": "enabled"} in cluster.inputs["settings"]


def test_images_are_built_from_the_four_dockerfiles(prod):
    """The app's (the stand-in's: the generic image) and the platform's three."""
    dockerfiles = {i.inputs["dockerfile"] for i in prod.of_type("awsx:ecr:Image")}
    assert dockerfiles == {
        "components/images/app/Dockerfile",
        "components/images/db/Dockerfile",
        "components/images/nginx/Dockerfile",
        "components/images/django_fargate/Dockerfile",
    }
    assert {i.inputs["platform"] for i in prod.of_type("awsx:ecr:Image")} == {"linux/arm64"}
    images = {c["name"]: c["image"] for c in containers(prod).values()}
    for image in images.values():
        assert "@sha256:" in image  # pinned by digest
    for repository in prod.of_type("awsx:ecr:Repository"):
        assert repository.inputs["imageScanningConfiguration"] == {"scanOnPush": True}
        assert repository.inputs["lifecyclePolicy"]["rules"]


def test_the_web_image_installs_the_library_from_the_wheelhouse_no_task_pulls(prod):
    wheelhouse = prod.one("awsx:ecr:Image", "tw-prod-django-fargate-image")
    assert wheelhouse.inputs["context"] == "components/images/django_fargate"
    uri = wheelhouse.outputs["imageUri"]
    assert "@sha256:" in uri  # the build argument names the digest
    web = prod.one("awsx:ecr:Image", "tw-prod-web-image")
    assert web.inputs["args"]["DJANGO_FARGATE_IMAGE"] == uri
    (pull,) = [
        s for s in policy_statements(prod, "tw-prod-execution-policy") if s["Sid"] == "EcrPull"
    ]
    pulled = {arn.rsplit("/", 1)[1] for arn in pull["Resource"]}
    assert pulled == {"tw-prod-nginx", "tw-prod-web", "tw-prod-db"}


def test_x86_stack_builds_amd64_images():
    recording = run_main(prod_config(cpuArchitecture="X86_64"))
    platform = service_task_definition(recording).inputs["runtimePlatform"]
    assert platform["cpuArchitecture"] == "X86_64"
    assert {i.inputs["platform"] for i in recording.of_type("awsx:ecr:Image")} == {"linux/amd64"}


def test_no_container_runs_as_root(prod):
    users = {name: c.get("user") for name, c in containers(prod).items()}
    assert users == {
        "nginx": "101:101",
        "web": "10001:10001",
        "release": "10001:10001",
        "scheduler": "10001:10001",
        "db": "999:999",
    }
