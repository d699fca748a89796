"""Pulumi components for a private, cheap, safe Django deployment on AWS ECS Fargate.

Import what you need: ``from components import PrivateNetwork, EndpointSet, ...``.
"""

from components.access_log_bucket import AccessLogBucket, AccessLogBucketArgs
from components.container_memory import MemoryNeed
from components.endpoint_set import (
    ENDPOINT_CATALOG,
    NOT_NEEDED,
    EndpointSet,
    EndpointSetArgs,
    required_endpoints_of,
)
from components.generated_secret import GeneratedSecret, GeneratedSecretArgs
from components.log_pattern_metric import LogPatternMetric, LogPatternMetricArgs
from components.managed_postgres import ManagedPostgres, ManagedPostgresArgs
from components.media_bucket import MediaBucket, MediaBucketArgs
from components.permissions_boundary import bound_every_identity
from components.persistent_postgres import (
    PersistentPostgres,
    PersistentPostgresArgs,
    PostgresDatabase,
)
from components.postgres_backup_bucket import PostgresBackupBucket, PostgresBackupBucketArgs
from components.postgres_env import BACKUP_FAILURE_MARKER, WalArchive
from components.private_network import PrivateNetwork, PrivateNetworkArgs
from components.public_entrance import PublicEntrance, PublicEntranceArgs
from components.service_alarms import ServiceAlarms, ServiceAlarmsArgs
from components.service_autoscaling import ServiceAutoscaling, ServiceAutoscalingArgs
from components.service_images import ServiceImages, ServiceImagesArgs
from components.ses_mail import SesMail, SesMailArgs
from components.sidecar_roles import task_role_name_pattern
from components.sidecar_task import SidecarTask, SidecarTaskArgs
from components.sidecar_types import (
    ContainerSpec,
    EfsVolume,
    EgressRule,
    HealthCheck,
    LoadBalancerTarget,
    Mount,
    SecretKey,
    Volume,
)
from components.web_firewall import WebFirewall, WebFirewallArgs

__all__ = [
    "BACKUP_FAILURE_MARKER",
    "ENDPOINT_CATALOG",
    "NOT_NEEDED",
    "AccessLogBucket",
    "AccessLogBucketArgs",
    "ContainerSpec",
    "EfsVolume",
    "EgressRule",
    "EndpointSet",
    "EndpointSetArgs",
    "GeneratedSecret",
    "GeneratedSecretArgs",
    "HealthCheck",
    "LoadBalancerTarget",
    "LogPatternMetric",
    "LogPatternMetricArgs",
    "ManagedPostgres",
    "ManagedPostgresArgs",
    "MediaBucket",
    "MediaBucketArgs",
    "MemoryNeed",
    "Mount",
    "PersistentPostgres",
    "PersistentPostgresArgs",
    "PostgresBackupBucket",
    "PostgresBackupBucketArgs",
    "PostgresDatabase",
    "PrivateNetwork",
    "PrivateNetworkArgs",
    "PublicEntrance",
    "PublicEntranceArgs",
    "SecretKey",
    "ServiceAlarms",
    "ServiceAlarmsArgs",
    "ServiceAutoscaling",
    "ServiceAutoscalingArgs",
    "ServiceImages",
    "ServiceImagesArgs",
    "SesMail",
    "SesMailArgs",
    "SidecarTask",
    "SidecarTaskArgs",
    "Volume",
    "WalArchive",
    "WebFirewall",
    "WebFirewallArgs",
    "bound_every_identity",
    "required_endpoints_of",
    "task_role_name_pattern",
]
