"""What a stack runs, counted (:class:`StackShape`), and the usage its resources do not tell
(:class:`Usage`): the inputs of the cost model.

:mod:`tools.plan.derive` turns a recorded program run into a shape; :mod:`tools.plan.cost` prices
it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from components.fargate.service import CPU_ARCHITECTURES as ARCHITECTURES


@dataclass(frozen=True)
class InterfaceEndpoint:
    """One interface VPC endpoint: the AWS service it serves and the AZs it has an ENI in."""

    service: str
    az_count: int


@dataclass(frozen=True)
class FargateService:
    """An ECS service on Fargate: tasks kept running and the size of each task."""

    name: str
    tasks: int
    vcpu: float
    memory_gb: float
    architecture: str  # X86_64 | ARM64
    spot_tasks: float = 0.0  # of the tasks, those expected on Fargate Spot (derive.spot_tasks)

    def __post_init__(self) -> None:
        if self.architecture not in ARCHITECTURES:
            raise ValueError(
                f"Fargate service {self.name}: architecture {self.architecture!r} "
                f"is not one of {', '.join(ARCHITECTURES)}"
            )


@dataclass(frozen=True)
class ScheduledTask:
    """A Fargate task an EventBridge rule starts on a schedule (the restore drill): billed
    only while it runs, per second, like a service's task
    (https://aws.amazon.com/fargate/pricing/)."""

    name: str
    runs_per_day: float  # on average (a weekly schedule: 1/7)
    vcpu: float
    memory_gb: float
    architecture: str  # X86_64 | ARM64


@dataclass(frozen=True)
class RdsInstance:
    """An RDS for PostgreSQL instance: its class, its storage and whether it has a standby."""

    name: str
    instance_class: str
    storage_gb: int
    multi_az: bool

    @property
    def copies(self) -> int:
        """Multi-AZ bills the standby's hours and storage as well: twice the Single-AZ price.
        https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_OnDemandDBInstances.html"""
        return 2 if self.multi_az else 1


@dataclass(frozen=True)
class StackShape:
    """What a stack runs, counted: the inputs of the cost model."""

    region: str
    interface_endpoints: tuple[InterfaceEndpoint, ...] = ()
    gateway_endpoints: tuple[str, ...] = ()
    nat_gateways: int = 0
    elastic_ips: int = 0
    load_balancer_azs: tuple[int, ...] = ()  # one entry per internet-facing ALB: its AZ count
    fargate_services: tuple[FargateService, ...] = ()
    efs_file_systems: int = 0
    efs_elastic_file_systems: int = 0  # of efs_file_systems, those billed per GB transferred
    backup_buckets: int = 0  # S3 buckets holding a database's WAL archive and base backups
    secrets: int = 0
    hosted_zones: int = 0
    log_groups: int = 0
    alarms: int = 0  # standard-resolution CloudWatch metric alarms
    dashboards: int = 0
    flow_logs: int = 0  # VPC flow logs delivered to CloudWatch Logs
    access_log_buckets: int = 0  # S3 buckets holding load balancer access logs
    kms_keys: int = 0  # customer managed KMS keys
    waf_web_acl_rules: tuple[int, ...] = ()  # one entry per AWS WAF web ACL: its rule count
    rds_instances: tuple[RdsInstance, ...] = ()
    scheduled_tasks: tuple[ScheduledTask, ...] = ()


def with_architecture(shape: StackShape, architecture: str) -> StackShape:
    """``shape`` with every Fargate service on ``architecture`` (for a what-if without a rerun)."""
    return replace(
        shape,
        fargate_services=tuple(
            replace(s, architecture=architecture) for s in shape.fargate_services
        ),
        scheduled_tasks=tuple(replace(t, architecture=architecture) for t in shape.scheduled_tasks),
    )


@dataclass(frozen=True)
class Usage:
    """Stated usage the resources alone do not tell; shown in every report."""

    efs_gb: float = 2.0
    """Average Postgres data on EFS, GB."""
    efs_read_gb: float = 100.0
    """Data read from EFS per month, GB (elastic throughput bills it): the daily base backup
    reads the whole data directory (30 x 2 GB), the WAL archiver reads each 16 MB segment,
    queries the rest."""
    efs_write_gb: float = 30.0
    """Data written to EFS per month, GB: WAL, checkpoints, vacuum."""
    backup_gb: float = 20.0
    """WAL archive and base backups kept in S3 (compressed, the retention window plus the
    old versions the lifecycle keeps a few days), GB."""
    log_gb: float = 2.0
    """Container log volume ingested per month, GB (all log groups together)."""
    aws_traffic_gb: float = 5.0
    """Traffic from the task to AWS APIs (ECR, logs, Secrets Manager, SES...) per month, GB:
    processed by the interface endpoints or the NAT gateway (S3 gateway traffic is free)."""
    alb_lcu: float = 1.0
    """Average load balancer capacity units (one LCU: 25 new connections/s or 1 GB/h)."""
    flow_log_gb: float = 0.5
    """VPC flow log records delivered per month, GB: rejected traffic only (the default),
    aggregated over 10 minutes, mostly scans of the load balancer's public addresses; logging
    all traffic multiplies it with the traffic."""
    flow_log_stored_gb: float = 0.5
    """Flow logs kept in CloudWatch Logs, GB: about one month's volume at 30 days' retention
    (stored compressed, so this is an upper bound)."""
    access_log_gb: float = 1.0
    """ALB access logs kept in S3 (gzip), GB: the retention window of a small site's logs."""
    waf_million_requests: float = 1.0
    """Requests a web ACL inspects per month, millions (only with a WAF)."""
    scheduled_task_minutes: float = 15.0
    """How long one run of a scheduled task (the restore drill) lasts, minutes: the task's
    start and image pull, the download of a 2 GB base backup and the day's WAL, the replay and
    pg_amcheck; the 50,000-tweet restore takes 12 s here (docs/operations.md, Figures)."""
    rds_backup_gb: float = 20.0
    """Automated backups and snapshots of an RDS instance, GB; RDS stores as much as the
    instance's provisioned storage free, the rest is billed."""
