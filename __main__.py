"""django-tw on AWS ECS Fargate: settings -> components -> outputs.

    internet -> PublicEntrance (ALB, public subnets) -> FargateService in private subnets:
        nginx :8080 -> web (gunicorn + Django) :8000 -> db (Postgres) :5432 on EFS
    db -> PostgresBackupBucket (S3): WAL archive + daily base backups, the restore path
    or, with `database: rds`, web -> RdsPostgres (RDS) and minTasks..maxTasks tasks.
    private subnets reach AWS through an EndpointSet derived from what the parts need.

Wiring only: containers in stack/containers.py, alarms and scaling in stack/operations.py.
"""

import dataclasses

import pulumi

import components
import stack.commands as commands
import stack.containers as service
import stack.edge as edge
import stack.operations as operations
from components import PublicEntrance, PublicEntranceArgs
from stack.database import database_for
from stack.images import images_of, pulled_by_the_task
from stack.settings import settings_of_this_run

settings = settings_of_this_run()  # every setting checked before any resource
app = settings.app  # the Django project deployed: its code, image, modules, commands
name = f"tw-{pulumi.get_stack()}"
production = settings.is_production
# Every IAM role and user carries the deploy role's boundary (tools/plan/deploy_boundary.py)
components.bound_every_identity(name, settings.permissions_boundary, settings.region)

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
    f"{name}-access-logs", operations.access_log_args(settings, name)
)
entrance = PublicEntrance(
    f"{name}-web",
    PublicEntranceArgs(
        vpc_id=network.vpc_id,
        vpc_cidr=settings.vpc_cidr,
        public_subnet_ids=network.public_subnet_ids,
        target_port=service.NGINX_PORT,
        health_check_path=app.health_path,
        deregistration_delay=service.DEREGISTRATION_DELAY,  # fits gunicorn's graceful timeout
        domain=settings.domain,
        hosted_zone=settings.hosted_zone,
        deletion_protection=production,
        access_logs=access_logs.target,
    ),
)
firewall = edge.web_firewall(f"{name}-waf", settings, entrance.load_balancer_arn)
# --- images, data, secrets, mail ------------------------------------------------------------
images = components.ServiceImages(name, images_of(settings))  # web: the app's; nginx, db
data = database_for(settings, name, network, images)  # efs (in the task) or rds
database = data.database
media = components.MediaBucket(f"{name}-media", components.MediaBucketArgs(protect=production))
secret_key = components.GeneratedSecret(
    f"{name}-django-secret-key", components.GeneratedSecretArgs("Django SECRET_KEY", length=64)
)
mail = edge.ses_mail(f"{name}-mail", settings)  # None, with a warning, without mailFrom
app_secrets = commands.app_secrets(name, app, protect=production)  # values set by the operator
# --- the task: nginx -> web -> release (-> db, or after db-init); the scheduler with efs --------
parts = dict(images=images, entrance=entrance, media=media, mail=mail, secret_key=secret_key)
web = service.web_of(settings, {**parts, "data": data}, app_secrets)
containers = service.task_containers(
    service.nginx_container(images.image_uris["nginx"], real_ip_from=settings.vpc_cidr),
    *commands.app_containers(web, app, settings.managed_database),  # web after the release step
    *data.containers,
    managed_database=settings.managed_database,
    app=app,
)
task_args = components.FargateServiceArgs(
    vpc_id=network.vpc_id,
    subnet_ids=network.private_subnet_ids,
    region=settings.region,
    containers=containers,
    volumes=database.volumes,  # static files are in the images: no shared volume
    cpu=settings.task_cpu,
    memory=settings.task_memory,
    cpu_architecture=settings.cpu_architecture,
    desired_count=settings.min_tasks,
    autoscaled=settings.autoscales,
    fargate_spot=settings.uses_fargate_spot,  # refused with efs: Spot may stop the one task
    log_retention_days=settings.log_retention_days,
    task_role_statements=[*media.task_role_statements, *database.task_role_statements],
    image_repository_arns=pulled_by_the_task(images.repository_arns),
    load_balancer=service.nginx_target(entrance),  # its 5xx roll a deployment back
    extra_security_group_ids=[database.client_security_group_id],  # NFS to EFS, or Postgres
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
        services=sorted(components.required_endpoints_of(task_args, *data.parts, media, mail)),
        interface_az_count=settings.endpoint_az_count,
        gateway_only=settings.uses_nat,  # the S3 gateway stays: it is free, NAT is not
        allowed_bucket_arns=[media.bucket_arn, *data.bucket_arns],
    ),
)
ready = [network, entrance, endpoints, data.resource, secret_key, *filter(None, [mail])]
task_args = dataclasses.replace(task_args, egress=endpoints.client_egress, ready_after=ready)
task = components.FargateService(name, task_args)
data.watch(name, task)  # efs: a metric counts the db container's failed backups
if settings.managed_database:  # efs: the task's scheduler container runs them
    commands.rds_schedules(name, app.schedules, task, task_args)  # RunTask, web's command
alarms = components.ServiceAlarms(
    f"{name}-alarms", operations.alarm_args(settings, entrance, task, data)
)
# efs: the archive restored daily by a task of its own, checked, alarmed
data.declare_drill(name, settings, task, network.private_subnet_ids, images, alarms.topic_arn)
if settings.autoscales:  # only a stateless task (settings refuse maxTasks > 1 with efs)
    components.ServiceAutoscaling(
        f"{name}-scaling", operations.autoscaling_args(settings, task, entrance)
    )
# --- outputs ----------------------------------------------------------------------------------
pulumi.export("url", entrance.url)
pulumi.export("alb_dns_name", entrance.dns_name)
pulumi.export("cluster_name", task.cluster_name)
pulumi.export("service_name", task.service_name)
pulumi.export("log_group_names", task.log_group_names)
pulumi.export("exec_command", operations.exec_command(task, settings.region))
pulumi.export("deploy_events_command", operations.deploy_events_command(task, settings.region))
pulumi.export("media_bucket_name", media.bucket_name)
pulumi.export("repository_urls", images.repository_urls)
pulumi.export("vpc_endpoints", sorted(endpoints.services))
pulumi.export("access_log_bucket", access_logs.bucket_name)
pulumi.export("audit_log_groups", [network.flow_log_group_name, task.exec_log_group_name])
pulumi.export("alarm_topic_arn", alarms.topic_arn)
pulumi.export("alarms_dashboard_url", alarms.dashboard_url)
for output_name, value in data.exports.items():  # the database's own: EFS and bucket, or RDS
    pulumi.export(output_name, value)
