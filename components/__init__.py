"""Pulumi components for a private, cheap, safe Django deployment on AWS ECS Fargate.

Import what you need: ``from components import PrivateNetwork, EndpointSet, ...``. The modules
are grouped by domain (``network/``, ``entrance/``, ``fargate/``, ``postgres/``, ``storage/``,
``monitoring/``, ``package/``); the names below are the package's public interface, and a module
path is not.
"""

import warnings

from components._shared.permissions_boundary import bound_every_identity
from components.entrance.access_log_bucket import AccessLogBucket, AccessLogBucketArgs
from components.entrance.public_entrance import PublicEntrance, PublicEntranceArgs
from components.entrance.web_firewall import WebFirewall, WebFirewallArgs
from components.fargate.autoscaling import ServiceAutoscaling, ServiceAutoscalingArgs
from components.fargate.images import ServiceImages, ServiceImagesArgs
from components.fargate.memory import MemoryNeed
from components.fargate.roles import task_role_name_pattern
from components.fargate.service import FargateService, FargateServiceArgs
from components.fargate.types import (
    ContainerSpec,
    EfsVolume,
    EgressRule,
    HealthCheck,
    LoadBalancerTarget,
    Mount,
    SecretKey,
    Volume,
)
from components.mail import SesMail, SesMailArgs
from components.monitoring.log_pattern_metric import LogPatternMetric, LogPatternMetricArgs
from components.monitoring.service_alarms import ServiceAlarms, ServiceAlarmsArgs
from components.network.endpoint_set import (
    ENDPOINT_CATALOG,
    NOT_NEEDED,
    EndpointSet,
    EndpointSetArgs,
    required_endpoints_of,
)
from components.network.private_network import PrivateNetwork, PrivateNetworkArgs
from components.postgres.backup_bucket import PostgresBackupBucket, PostgresBackupBucketArgs
from components.postgres.container_env import BACKUP_FAILURE_MARKER, WalArchive
from components.postgres.efs import (
    EfsPostgres,
    EfsPostgresArgs,
    PostgresDatabase,
)
from components.postgres.rds import RdsPostgres, RdsPostgresArgs
from components.postgres.restore_drill import RestoreDrill, RestoreDrillArgs
from components.storage.generated_secret import GeneratedSecret, GeneratedSecretArgs
from components.storage.media_bucket import MediaBucket, MediaBucketArgs

__all__ = [
    "BACKUP_FAILURE_MARKER",
    "ENDPOINT_CATALOG",
    "NOT_NEEDED",
    "AccessLogBucket",
    "AccessLogBucketArgs",
    "ContainerSpec",
    "EfsPostgres",
    "EfsPostgresArgs",
    "EfsVolume",
    "EgressRule",
    "EndpointSet",
    "EndpointSetArgs",
    "FargateService",
    "FargateServiceArgs",
    "GeneratedSecret",
    "GeneratedSecretArgs",
    "HealthCheck",
    "LoadBalancerTarget",
    "LogPatternMetric",
    "LogPatternMetricArgs",
    "MediaBucket",
    "MediaBucketArgs",
    "MemoryNeed",
    "Mount",
    "PostgresBackupBucket",
    "PostgresBackupBucketArgs",
    "PostgresDatabase",
    "PrivateNetwork",
    "PrivateNetworkArgs",
    "PublicEntrance",
    "PublicEntranceArgs",
    "RdsPostgres",
    "RdsPostgresArgs",
    "RestoreDrill",
    "RestoreDrillArgs",
    "SecretKey",
    "ServiceAlarms",
    "ServiceAlarmsArgs",
    "ServiceAutoscaling",
    "ServiceAutoscalingArgs",
    "ServiceImages",
    "ServiceImagesArgs",
    "SesMail",
    "SesMailArgs",
    "Volume",
    "WalArchive",
    "WebFirewall",
    "WebFirewallArgs",
    "bound_every_identity",
    "required_endpoints_of",
    "task_role_name_pattern",
]

# The names of 0.1: importing one still works, with a warning, until 0.3.0 (CHANGELOG.md).
FORMER_NAMES = {
    "SidecarTask": "FargateService",
    "SidecarTaskArgs": "FargateServiceArgs",
    "PersistentPostgres": "EfsPostgres",
    "PersistentPostgresArgs": "EfsPostgresArgs",
    "ManagedPostgres": "RdsPostgres",
    "ManagedPostgresArgs": "RdsPostgresArgs",
}


def __getattr__(name: str) -> object:
    if name in FORMER_NAMES:
        current = FORMER_NAMES[name]
        warnings.warn(
            f"components.{name} is now components.{current}; the old name goes in 0.3.0",
            DeprecationWarning,
            stacklevel=2,
        )
        return globals()[current]
    raise AttributeError(f"module 'components' has no attribute {name!r}")
