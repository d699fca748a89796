"""django-tw on AWS ECS Fargate: settings -> components -> outputs.

    internet -> PublicEntrance (ALB, public subnets) -> one SidecarTask in private subnets:
        nginx :8080 -> web (gunicorn + Django) :8000 -> db (Postgres) :5432 on EFS
    db -> PostgresBackupBucket (S3): WAL archive + daily base backups, the restore path
    private subnets reach AWS through an EndpointSet derived from what the parts need.

Wiring only: service_containers.py builds the Django containers to service_contract.py.
"""

import dataclasses

import pulumi

import components
import service_containers as service
from components import PublicEntrance, PublicEntranceArgs
from stack_settings import EGRESS_NAT, settings_of_this_run

settings = settings_of_this_run()  # every setting checked before any resource
name = f"tw-{pulumi.get_stack()}"
production = settings.is_production

# --- the network and its public entrance ---------------------------------------------------
network = components.PrivateNetwork(
    name,
    components.PrivateNetworkArgs(
        cidr_block=settings.vpc_cidr,
        az_count=settings.az_count,
        availability_zone_ids=settings.availability_zone_ids,
        nat=settings.nat,
        allow_single_az=not production,
        flow_logs=settings.flow_logs,
        flow_log_retention_days=settings.log_retention_days,
    ),
)
access_logs = components.AccessLogBucket(
    f"{name}-access-logs",
    components.AccessLogBucketArgs(settings.access_log_retention_days, protect=production),
)
entrance = PublicEntrance(
    f"{name}-web",
    PublicEntranceArgs(
        vpc_id=network.vpc_id,
        vpc_cidr=settings.vpc_cidr,
        public_subnet_ids=network.public_subnet_ids,
        target_port=service.NGINX_PORT,
        health_check_path="/healthz",
        domain=settings.domain,
        hosted_zone=settings.hosted_zone,
        deletion_protection=production,
        access_logs=access_logs.target,
    ),
)
firewall = service.web_firewall(f"{name}-waf", settings, entrance.load_balancer_arn)
# --- images, data, secrets, mail ------------------------------------------------------------
images = components.ServiceImages(name, service.image_args(settings.cpu_architecture, production))
backups = components.PostgresBackupBucket(
    f"{name}-db-backups",
    components.PostgresBackupBucketArgs(settings.backup_retention_days, protect=production),
)
database = components.PersistentPostgres(
    f"{name}-db",
    components.PersistentPostgresArgs(
        vpc_id=network.vpc_id,
        subnet_ids=network.private_subnet_ids,
        image=images.image_uris["db"],
        wal_archive=components.WalArchive(
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
media = components.MediaBucket(f"{name}-media", components.MediaBucketArgs(protect=production))
secret_key = components.GeneratedSecret(
    f"{name}-django-secret-key", components.GeneratedSecretArgs("Django SECRET_KEY", length=64)
)
mail = service.ses_mail(f"{name}-mail", settings)  # None, with a warning, without mailFrom
# --- one task: nginx -> web -> db ----------------------------------------------------------
containers = service.task_containers(
    service.nginx_container(images.image_uris["nginx"], real_ip_from=settings.vpc_cidr),
    service.web_container(
        settings,
        image=images.image_uris["web"],
        load_balancer_dns_name=entrance.dns_name,
        media_bucket_name=media.bucket_name,
        smtp=mail,
        secret_key_arn=secret_key.arn,
        database_url_secret_arn=database.database_url_secret_arn,
    ),
    *database.containers,
)
task_args = components.SidecarTaskArgs(
    vpc_id=network.vpc_id,
    subnet_ids=network.private_subnet_ids,
    region=settings.region,
    containers=containers,
    volumes=database.volumes,  # static files are in the images: no shared volume
    cpu=settings.task_cpu,
    memory=settings.task_memory,
    cpu_architecture=settings.cpu_architecture,
    log_retention_days=settings.log_retention_days,
    task_role_statements=[*media.task_role_statements, *database.task_role_statements],
    image_repository_arns=list(images.repository_arns.values()),
    load_balancer=service.nginx_target(entrance),  # its 5xx roll a deployment back
    extra_security_group_ids=[database.client_security_group_id],  # NFS to EFS
    health_check_grace_seconds=service.start_grace_seconds(containers),
)
# --- private access to AWS, derived from what the parts use ---------------------------------
endpoints = components.EndpointSet(
    f"{name}-endpoints",
    components.EndpointSetArgs(
        vpc_id=network.vpc_id,
        vpc_cidr=settings.vpc_cidr,
        region=settings.region,
        subnet_ids=network.private_subnet_ids,
        route_table_ids=network.private_route_table_ids,
        services=components.required_endpoints_of(task_args, database, backups, media, mail),
        interface_az_count=settings.endpoint_az_count,
        gateway_only=settings.egress == EGRESS_NAT,  # the S3 gateway stays: it is free, NAT is not
        allowed_bucket_arns=[media.bucket_arn, backups.bucket_arn],
    ),
)
ready = [network, entrance, endpoints, database, secret_key, *filter(None, [mail])]
task_args = dataclasses.replace(task_args, egress=endpoints.client_egress, ready_after=ready)
task = components.SidecarTask(name, task_args)
backup_failures = service.backup_failure_metric(name, task, database)  # failed backups' marker
alarms = components.ServiceAlarms(
    f"{name}-alarms", service.alarm_args(settings, entrance, task, database, backup_failures)
)
# --- outputs ----------------------------------------------------------------------------------
pulumi.export("url", entrance.url)
pulumi.export("alb_dns_name", entrance.dns_name)
pulumi.export("cluster_name", task.cluster_name)
pulumi.export("service_name", task.service_name)
pulumi.export("log_group_names", task.log_group_names)
pulumi.export("exec_command", service.exec_command(task, settings.region))
pulumi.export("deploy_events_command", service.deploy_events_command(task, settings.region))
pulumi.export("media_bucket_name", media.bucket_name)
pulumi.export("repository_urls", images.repository_urls)
pulumi.export("vpc_endpoints", sorted(endpoints.services))
pulumi.export("efs_file_system_id", database.file_system_id)
pulumi.export("backup_vault_name", database.backup_vault_name)
pulumi.export("backup_bucket_name", backups.bucket_name)
pulumi.export("backup_destination_url", backups.destination_url)
pulumi.export("access_log_bucket", access_logs.bucket_name)
pulumi.export("audit_log_groups", [network.flow_log_group_name, task.exec_log_group_name])
pulumi.export("backup_failure_metric", f"{backup_failures.namespace}/{backup_failures.metric_name}")
pulumi.export("alarm_topic_arn", alarms.topic_arn)
pulumi.export("alarms_dashboard_url", alarms.dashboard_url)
