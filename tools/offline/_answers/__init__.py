"""Made-up but realistic AWS answers, one module per AWS service.

``DATA_SOURCES`` answers data sources (``aws.get_region()``...), ``RESOURCES`` adds what AWS
computes for a resource type (ids, ARNs, DNS names) to the inputs the mocks echo back, and
``REMOTE_COMPONENTS`` gives the outputs of awsx's remote components. To teach the runner a new
type or data source, add it to the module of its service.
"""

from tools.offline._answers import (
    account,
    awsx,
    backup,
    dns,
    ec2,
    ecr,
    ecs,
    efs,
    elb,
    iam,
    monitoring,
    rds,
    s3,
    secrets,
    ses,
)
from tools.offline._answers._common import (
    Account,
    DataSourceAnswer,
    RemoteComponentAnswer,
    ResourceAnswer,
    short_hash,
)

DATA_SOURCES: dict[str, DataSourceAnswer] = {
    **account.DATA_SOURCES,
    **ec2.DATA_SOURCES,
    **ecr.DATA_SOURCES,
    **iam.DATA_SOURCES,
    **elb.DATA_SOURCES,
    **dns.DATA_SOURCES,
}

RESOURCES: dict[str, ResourceAnswer] = {
    **ec2.RESOURCES,
    **iam.RESOURCES,
    **s3.RESOURCES,
    **elb.RESOURCES,
    **dns.RESOURCES,
    **efs.RESOURCES,
    **rds.RESOURCES,
    **ecs.RESOURCES,
    **secrets.RESOURCES,
    **ses.RESOURCES,
    **backup.RESOURCES,
    **monitoring.RESOURCES,
}

REMOTE_COMPONENTS: dict[str, RemoteComponentAnswer] = awsx.REMOTE_COMPONENTS

__all__ = [
    "DATA_SOURCES",
    "REMOTE_COMPONENTS",
    "RESOURCES",
    "Account",
    "DataSourceAnswer",
    "RemoteComponentAnswer",
    "ResourceAnswer",
    "short_hash",
]
