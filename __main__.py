"""django-tw on AWS ECS Fargate: settings -> components -> outputs.

    internet -> PublicEntrance (ALB, public subnets) -> one SidecarTask in private subnets:
        nginx :8080 -> web (gunicorn + Django) :8000 -> db (Postgres) :5432 on EFS
    db -> PostgresBackupBucket (S3): WAL archive + daily base backups, the restore path
    private subnets reach AWS through an EndpointSet derived from what the parts need.

This file only wires components together. The Django-specific parts (environment names, the
three container specs) live here; the components know nothing about Django.
"""

import dataclasses

import pulumi

from components import (
    BACKUP_FAILURE_MARKER,
    ContainerSpec,
    EndpointSet,
    EndpointSetArgs,
    GeneratedSecret,
    GeneratedSecretArgs,
    HealthCheck,
    LoadBalancerTarget,
    LogPatternMetric,
    LogPatternMetricArgs,
    MediaBucket,
    MediaBucketArgs,
    Mount,
    PersistentPostgres,
    PersistentPostgresArgs,
    PostgresBackupBucket,
    PostgresBackupBucketArgs,
    PrivateNetwork,
    PrivateNetworkArgs,
    PublicEntrance,
    PublicEntranceArgs,
    ServiceImages,
    ServiceImagesArgs,
    SesMail,
    SesMailArgs,
    SidecarTask,
    SidecarTaskArgs,
    Volume,
    WalArchive,
    required_endpoints_of,
)
from stack_settings import config_from_pulumi, load_settings

# Every setting is validated before the first resource is declared.
settings = load_settings(config_from_pulumi())
name = f"tw-{pulumi.get_stack()}"
production = settings.is_production

NGINX_PORT, WEB_PORT = 8080, 8000
# Containers of the task share one loopback. By address: "localhost" may resolve to ::1 first,
# where nothing listens.
LOOPBACK = "127.0.0.1"
STATIC_ROOT = "/var/www/static"
# gunicorn starts after `migrate` (under an advisory lock) at web start: failures before that
# must not count.
WEB_START_PERIOD = 120

# --- network ------------------------------------------------------------------------------
network = PrivateNetwork(
    name,
    PrivateNetworkArgs(
        cidr_block=settings.vpc_cidr,
        az_count=settings.az_count,
        nat="none" if settings.egress == "endpoints" else settings.nat_gateways,
        allow_single_az=not production,
    ),
)

# --- the public entrance ------------------------------------------------------------------
entrance = PublicEntrance(
    f"{name}-web",
    PublicEntranceArgs(
        vpc_id=network.vpc_id,
        vpc_cidr=settings.vpc_cidr,
        public_subnet_ids=network.public_subnet_ids,
        target_port=NGINX_PORT,
        health_check_path="/healthz",
        domain=settings.domain,
        hosted_zone=settings.hosted_zone,
        deletion_protection=production,
    ),
)

# --- images, data, mail, secrets ----------------------------------------------------------
images = ServiceImages(
    name,
    ServiceImagesArgs(
        context="service",
        dockerfiles={
            "nginx": "service/Dockerfile.nginx",
            "web": "service/Dockerfile",
            "db": "service/Dockerfile.db",
        },
        platform="linux/arm64" if settings.cpu_architecture == "ARM64" else "linux/amd64",
        force_delete=not production,
    ),
)

backups = PostgresBackupBucket(
    f"{name}-db-backups",
    PostgresBackupBucketArgs(retention_days=settings.backup_retention_days, protect=production),
)
database = PersistentPostgres(
    f"{name}-db",
    PersistentPostgresArgs(
        vpc_id=network.vpc_id,
        subnet_ids=network.private_subnet_ids,
        image=images.image_uris["db"],
        wal_archive=WalArchive(
            destination_url=backups.destination_url,
            region=settings.region,
            task_role_statements=backups.task_role_statements(),
            retention_days=settings.backup_retention_days,
            base_backup_time=settings.base_backup_time,
            archive_timeout_seconds=settings.archive_timeout_seconds,
        ),
        database_name=settings.database_name,
        database_user=settings.database_user,
        throughput_mode=settings.efs_throughput_mode,
        protect=production,
    ),
)

media = MediaBucket(f"{name}-media", MediaBucketArgs(protect=production))

django_secret_key = GeneratedSecret(
    f"{name}-django-secret-key",
    GeneratedSecretArgs(description="Django SECRET_KEY", length=64),
)

mail = (
    SesMail(
        f"{name}-mail",
        SesMailArgs(
            from_address=settings.mail_from,
            hosted_zone=settings.hosted_zone,
            region=settings.region,
        ),
    )
    if settings.sends_mail
    else None
)
if mail is None:
    pulumi.log.warn(f"{name}: mailFrom is empty, so the site cannot send password-reset mail.")

# --- the three containers of one task -----------------------------------------------------
web_environment: dict[str, pulumi.Input[str]] = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_ALLOWED_HOSTS": settings.domain or entrance.dns_name,
    "DJANGO_STATIC_ROOT": STATIC_ROOT,
    "AWS_STORAGE_BUCKET_NAME": media.bucket_name,
    "AWS_S3_REGION_NAME": settings.region,
    "EMAIL_HOST": mail.smtp_host if mail else "",
    "EMAIL_PORT": str(mail.smtp_port if mail else 587),
    "EMAIL_USE_TLS": "true",
    "DEFAULT_FROM_EMAIL": settings.mail_from or f"no-reply@{settings.domain or 'localhost'}",
    "WEB_CONCURRENCY": str(settings.web_concurrency),
    # Only nginx talks to gunicorn, over the task's loopback.
    "GUNICORN_BIND": f"{LOOPBACK}:{WEB_PORT}",
}
if not settings.uses_tls:
    web_environment["DJANGO_HTTPS"] = "false"
web_secrets: dict[str, pulumi.Input[str]] = {
    "DJANGO_SECRET_KEY": django_secret_key.arn,
    "DATABASE_URL": database.database_url_secret_arn,
}
if mail is not None:
    # The SMTP user name is an IAM access key id: it stays out of plain environment too.
    web_secrets["EMAIL_HOST_USER"] = mail.username_secret_arn
    web_secrets["EMAIL_HOST_PASSWORD"] = mail.password_secret_arn

nginx = ContainerSpec(
    name="nginx",
    image=images.image_uris["nginx"],
    port=NGINX_PORT,
    environment={
        "NGINX_LISTEN_PORT": str(NGINX_PORT),
        # Same task, same network namespace: the loopback, never a container name.
        "NGINX_UPSTREAM": f"{LOOPBACK}:{WEB_PORT}",
        "NGINX_STATIC_ROOT": STATIC_ROOT,
        "NGINX_REAL_IP_FROM": settings.vpc_cidr,
    },
    # Liveness of nginx itself (it answers /livez without proxying): a database hiccup must not
    # make ECS replace the whole task. Readiness, with the database, is the ALB's /healthz.
    health_check=HealthCheck(
        command=["CMD-SHELL", f"curl -fsS http://{LOOPBACK}:{NGINX_PORT}/livez || exit 1"]
    ),
    depends_on={"web": "HEALTHY"},
    mounts=[Mount("static", STATIC_ROOT, read_only=True)],
    user="101:101",  # nginxinc/nginx-unprivileged's nginx user
)
web = ContainerSpec(
    name="web",
    image=images.image_uris["web"],
    port=WEB_PORT,
    environment=web_environment,
    secrets=web_secrets,
    # Liveness of gunicorn, without the database (see service/healthcheck.py).
    health_check=HealthCheck(
        command=["CMD-SHELL", "python /app/healthcheck.py || exit 1"],
        start_period=WEB_START_PERIOD,
    ),
    depends_on={"db": "HEALTHY"},
    mounts=[Mount("static", STATIC_ROOT)],
    user="10001:10001",  # the app user of service/Dockerfile
)

task_args = SidecarTaskArgs(
    vpc_id=network.vpc_id,
    subnet_ids=network.private_subnet_ids,
    region=settings.region,
    containers=[nginx, web, *database.containers],
    volumes=[Volume("static"), *database.volumes],
    cpu=settings.task_cpu,
    memory=settings.task_memory,
    cpu_architecture=settings.cpu_architecture,
    log_retention_days=settings.log_retention_days,
    task_role_statements=[*media.task_role_statements, *database.task_role_statements],
    image_repository_arns=list(images.repository_arns.values()),
    load_balancer=LoadBalancerTarget(
        target_group_arn=entrance.target_group_arn,
        container_name="nginx",
        container_port=NGINX_PORT,
        source_security_group_id=entrance.security_group_id,
    ),
    extra_security_group_ids=[database.client_security_group_id],
    # The containers start one after another (db, web, nginx): the ALB judges the task only
    # once all of them may have.
    health_check_grace_seconds=sum(
        c.health_check.start_period for c in (nginx, web, *database.containers) if c.health_check
    ),
)

# --- private access to AWS, derived from what the parts use --------------------------------
needed_endpoints = required_endpoints_of(
    task_args, database, backups, media, *([mail] if mail else [])
)
endpoints = EndpointSet(
    f"{name}-endpoints",
    EndpointSetArgs(
        vpc_id=network.vpc_id,
        vpc_cidr=settings.vpc_cidr,
        region=settings.region,
        subnet_ids=network.private_subnet_ids,
        route_table_ids=network.private_route_table_ids,
        services=needed_endpoints,
        interface_az_count=settings.endpoint_az_count,
        # With NAT the interface endpoints are not needed; the S3 gateway stays (it is free
        # and keeps image-layer traffic off the NAT's per-GB charge).
        gateway_only=settings.egress == "nat",
    ),
)

# The task opens only what it uses: the ports of the endpoints it needs (or of the same services
# through NAT). NFS goes through the database's client group.
task = SidecarTask(name, dataclasses.replace(task_args, egress=endpoints.client_egress))

# The db scripts print BACKUP_FAILURE_MARKER on every failed WAL archive or base backup.
backup_failures = LogPatternMetric(
    f"{name}-db-backup-failures",
    LogPatternMetricArgs(
        log_group_name=task.log_group_names[database.container_name],
        text=BACKUP_FAILURE_MARKER,
        metric_name="PostgresBackupFailures",
    ),
)

# --- outputs ------------------------------------------------------------------------------
pulumi.export("url", entrance.url)
pulumi.export("alb_dns_name", entrance.dns_name)
pulumi.export("cluster_name", task.cluster_name)
pulumi.export("service_name", task.service_name)
pulumi.export("log_group_names", task.log_group_names)
pulumi.export(
    "exec_command",
    pulumi.Output.format(
        "aws ecs execute-command --region {0} --cluster {1} --task "
        "$(aws ecs list-tasks --region {0} --cluster {1} --service-name {2} "
        "--query 'taskArns[0]' --output text) --container web --interactive --command /bin/bash",
        settings.region,
        task.cluster_name,
        task.service_name,
    ),
)
pulumi.export("media_bucket_name", media.bucket_name)
pulumi.export("repository_urls", images.repository_urls)
pulumi.export("vpc_endpoints", sorted(endpoints.services))
pulumi.export("efs_file_system_id", database.file_system_id)
pulumi.export("backup_vault_name", database.backup_vault_name)
pulumi.export("backup_bucket_name", backups.bucket_name)
pulumi.export("backup_destination_url", backups.destination_url)
pulumi.export("backup_failure_metric", f"{backup_failures.namespace}/{backup_failures.metric_name}")
