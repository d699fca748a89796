"""What the tasks call at run time, and what carries each call to AWS."""

from __future__ import annotations

from policy.aws_types import NAT_GATEWAY
from policy.reach import needed_services, services_reached

from .builders import (
    ALL_ENDPOINTS,
    MOUNT_TARGETS,
    STATEFUL_TASK,
    container,
    res,
    service,
    task_definition,
)


def test_an_s3_url_in_the_environment_means_the_task_reaches_s3():
    archiver = task_definition(
        container(
            name="db",
            image="postgres:17",
            environment=[{"name": "BACKUP_DESTINATION_URL", "value": "s3://backups/postgres"}],
        )
    )
    needs = needed_services([archiver])
    assert needs["s3"] == "db: BACKUP_DESTINATION_URL s3://backups/postgres"
    plain = task_definition(container(name="db", image="postgres:17"))
    assert "s3" not in needed_services([plain])


def test_services_reached_names_what_serves_each_service():
    reached = {
        reach.service: reach.served_by
        for reach in services_reached([STATEFUL_TASK, service(), *ALL_ENDPOINTS, *MOUNT_TARGETS])
    }
    assert reached == {
        "ecr.api": "interface endpoint (2 AZs)",
        "ecr.dkr": "interface endpoint (2 AZs)",
        "elasticfilesystem (NFS)": "EFS mount targets (1)",
        "logs": "interface endpoint (2 AZs)",
        "s3": "gateway endpoint",
        "secretsmanager": "interface endpoint (2 AZs)",
        "ssmmessages": "interface endpoint (2 AZs)",
    }


def test_a_nat_gateway_carries_what_no_endpoint_serves_but_efs_still_needs_mount_targets():
    nat = res(NAT_GATEWAY, "nat", subnetId="subnet-pa")
    reached = {reach.service: reach for reach in services_reached([STATEFUL_TASK, service(), nat])}
    assert reached["logs"].served_by == "NAT gateway"
    assert reached["elasticfilesystem (NFS)"].served_by == "nothing"
    assert not reached["elasticfilesystem (NFS)"].reachable
