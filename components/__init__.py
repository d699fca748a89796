"""Pulumi components for a private, cheap, safe Django deployment on AWS ECS Fargate.

Import what you need: ``from components import PrivateNetwork, EndpointSet, ...``. Names are
loaded on first use, so ``components.testing`` stays importable without the AWS provider.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "PrivateNetwork": "network",
    "PrivateNetworkArgs": "network",
    "EndpointSet": "endpoints",
    "EndpointSetArgs": "endpoints",
    "ENDPOINT_CATALOG": "endpoints",
    "NOT_NEEDED": "endpoints",
    "required_endpoints_of": "endpoints",
    "SidecarTask": "sidecar_task",
    "SidecarTaskArgs": "sidecar_task",
    "ContainerSpec": "sidecar_task",
    "HealthCheck": "sidecar_task",
    "Mount": "sidecar_task",
    "Volume": "sidecar_task",
    "EfsVolume": "sidecar_task",
    "EgressRule": "sidecar_task",
    "LoadBalancerTarget": "sidecar_task",
    "PersistentPostgres": "postgres",
    "PersistentPostgresArgs": "postgres",
    "PostgresDatabase": "postgres",
    "WalArchive": "postgres_env",
    "BACKUP_FAILURE_MARKER": "postgres_env",
    "LogPatternMetric": "log_metrics",
    "LogPatternMetricArgs": "log_metrics",
    "PublicEntrance": "public_entrance",
    "PublicEntranceArgs": "public_entrance",
    "PostgresBackupBucket": "backup_bucket",
    "PostgresBackupBucketArgs": "backup_bucket",
    "MediaBucket": "media_bucket",
    "MediaBucketArgs": "media_bucket",
    "SesMail": "mail",
    "SesMailArgs": "mail",
    "GeneratedSecret": "secrets",
    "GeneratedSecretArgs": "secrets",
    "ServiceImages": "images",
    "ServiceImagesArgs": "images",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'components' has no attribute {name!r}")
    return getattr(importlib.import_module(f"components.{module}"), name)


def __dir__() -> list[str]:
    return __all__
