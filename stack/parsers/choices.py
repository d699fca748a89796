"""The values the stack settings choose among, and AWS's limits on the others.

The stack's own vocabularies are defined here; those the components accept are theirs,
re-exported (``as``) beside them.
"""

from __future__ import annotations

from components.fargate.service import CPU_ARCHITECTURES as CPU_ARCHITECTURES
from components.mail import DMARC_POLICIES as DMARC_POLICIES
from components.network.flow_logs import FLOW_LOG_MODES as FLOW_LOG_MODES
from components.network.private_network import NAT_GATEWAY_MODES as NAT_GATEWAY_MODES
from components.postgres.efs import EFS_THROUGHPUT_MODES as EFS_THROUGHPUT_MODES
from components.postgres.rds_parameters import INSTANCE_CLASSES

# The RDS instance classes a stack may choose: those the component offers.
DB_INSTANCE_CLASSES = INSTANCE_CLASSES

PRODUCTION, DEVELOPMENT = "production", "development"
ENVIRONMENTS = (PRODUCTION, DEVELOPMENT)

# Egress is the stack's choice, one value per PrivateNetworkArgs.nat: VPC endpoints and no NAT,
# or NAT gateways (one, or one per AZ). The other vocabularies are what the components accept.
EGRESS_ENDPOINTS, EGRESS_NAT_SINGLE, EGRESS_NAT_PER_AZ = "endpoints", "nat-single", "nat-per-az"
EGRESS_MODES = (EGRESS_ENDPOINTS, EGRESS_NAT_SINGLE, EGRESS_NAT_PER_AZ)

# Until 0.3 a stack file may still say `egress: nat` with `natGateways: single | per-az`.
EGRESS_NAT = "nat"
WAF_OFF, WAF_ON = "off", "on"
WAF_MODES = (WAF_OFF, WAF_ON)

# Where Postgres runs: a container of the one task with its data on EFS (one writer, one task),
# or RDS (the task is stateless and scales).
DATABASE_EFS, DATABASE_RDS = "efs", "rds"
DATABASES = (DATABASE_EFS, DATABASE_RDS)

# Fargate Spot for the web tasks: off, or mixed (the first task on-demand, the rest split
# between on-demand and Spot: components.fargate.deployment). Only without a database in the task.
FARGATE_SPOT_OFF, FARGATE_SPOT_MIXED = "off", "mixed"
FARGATE_SPOT_MODES = (FARGATE_SPOT_OFF, FARGATE_SPOT_MIXED)

# The most web tasks a stack may scale to: each holds CONN_MAX_AGE connections per gunicorn
# worker, and the smallest instance class allows about a hundred.
MAX_TASKS = 10

# CloudWatch Logs accepts only these retention periods (PutRetentionPolicy, retentionInDays):
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip


def _memory_range(start: int, stop: int, step: int) -> tuple[int, ...]:
    return tuple(range(start, stop + 1, step))


# The task-level CPU/memory pairs Fargate offers (CPU units -> MiB):
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
FARGATE_CPU_MEMORY: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: _memory_range(1024, 4096, 1024),
    1024: _memory_range(2048, 8192, 1024),
    2048: _memory_range(4096, 16384, 1024),
    4096: _memory_range(8192, 30720, 1024),
    8192: _memory_range(16384, 61440, 4096),
    16384: _memory_range(32768, 122880, 8192),
}
