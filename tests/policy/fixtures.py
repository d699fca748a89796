"""A passing and a failing stack for every rule, gathered from each service's fixtures.

Each fixture is the smallest stack that shows the rule's point: the passing one is what our
components must produce, the failing one is the mistake the rule exists to catch. They live
beside each service's tests (``rules/<service>_fixtures.py``); the pack's tests use them all.
"""

from __future__ import annotations

from policy.model import Resource

from .rules import (
    cloudwatch_fixtures,
    ec2_fixtures,
    ecr_fixtures,
    ecs_fixtures,
    efs_fixtures,
    elb_fixtures,
    iam_fixtures,
    logs_fixtures,
    project_fixtures,
    s3_fixtures,
)

# rule id -> (passing stack, failing stack)
FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    **ecs_fixtures.FIXTURES,
    **efs_fixtures.FIXTURES,
    **elb_fixtures.FIXTURES,
    **s3_fixtures.FIXTURES,
    **ec2_fixtures.FIXTURES,
    **iam_fixtures.FIXTURES,
    **ecr_fixtures.FIXTURES,
    **logs_fixtures.FIXTURES,
    **cloudwatch_fixtures.FIXTURES,
    **project_fixtures.FIXTURES,
}
