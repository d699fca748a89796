"""The endpoints' policies keep the private route to AWS for this account and this stack.

The S3 gateway policy is evaluated here the way S3 would for the one question that matters:
may a request reach this bucket's object through the endpoint, signed by this principal's
account? (Allow statements only, as these policies have; an explicit allow is required.)
"""

from __future__ import annotations

import json
from fnmatch import fnmatchcase

import pulumi

from components.network.endpoint_policies import (
    ecr_layer_objects_arn,
    interface_policy_statements,
    s3_gateway_policy_statements,
)
from components.network.endpoint_set import EndpointSet, EndpointSetArgs
from tests.stack_runs import run_component

ACCOUNT = "123456789012"  # the account the recording mocks answer for
OTHER_ACCOUNT = "999988887777"
MEDIA = "arn:aws:s3:::tw-prod-media"
BACKUPS = "arn:aws:s3:::tw-prod-backups"


def allows(statements, *, action: str, resource: str, principal_account: str) -> bool:
    """Whether some Allow statement matches the action, the resource and its conditions."""
    for statement in statements:
        actions = statement["Action"]
        actions = actions if isinstance(actions, list) else [actions]
        resources = statement["Resource"]
        resources = resources if isinstance(resources, list) else [resources]
        if statement["Effect"] != "Allow" or statement["Principal"] != "*":
            continue
        if not any(fnmatchcase(action, pattern) for pattern in actions):
            continue
        if not any(fnmatchcase(resource, pattern) for pattern in resources):
            continue
        wanted = statement.get("Condition", {}).get("StringEquals", {})
        if set(statement.get("Condition", {})) - {"StringEquals"}:
            continue  # a condition this checker cannot read does not allow
        if wanted.get("aws:PrincipalAccount", principal_account) == principal_account:
            return True
    return False


STATEMENTS = s3_gateway_policy_statements("ap-northeast-1", [MEDIA, BACKUPS], ACCOUNT)


def test_this_accounts_roles_reach_the_stacks_buckets():
    statements = STATEMENTS
    for bucket in (MEDIA, BACKUPS):
        assert allows(
            statements, action="s3:PutObject", resource=f"{bucket}/k", principal_account=ACCOUNT
        )
        assert allows(
            statements, action="s3:ListBucket", resource=bucket, principal_account=ACCOUNT
        )


def test_a_bucket_of_another_account_is_refused():
    statements = STATEMENTS
    for account in (ACCOUNT, OTHER_ACCOUNT):
        assert not allows(
            statements,
            action="s3:PutObject",
            resource="arn:aws:s3:::attacker-exfil/loot",
            principal_account=account,
        )


def test_another_accounts_credentials_are_refused_on_the_stacks_buckets():
    assert not allows(
        STATEMENTS,
        action="s3:PutObject",
        resource=f"{MEDIA}/k",
        principal_account=OTHER_ACCOUNT,
    )


def test_image_layers_are_readable_whoever_signed_the_url():
    layers = ecr_layer_objects_arn("ap-northeast-1")
    assert layers == "arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/*"
    object_arn = "arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/sha256/abc"
    assert allows(
        STATEMENTS, action="s3:GetObject", resource=object_arn, principal_account=OTHER_ACCOUNT
    )
    assert not allows(
        STATEMENTS, action="s3:PutObject", resource=object_arn, principal_account=ACCOUNT
    )


def test_interface_endpoints_serve_this_account_only():
    statements = interface_policy_statements(ACCOUNT)
    assert allows(statements, action="logs:PutLogEvents", resource="x", principal_account=ACCOUNT)
    assert not allows(
        statements, action="logs:PutLogEvents", resource="x", principal_account=OTHER_ACCOUNT
    )


def build(services, **kwargs):
    def program() -> None:
        EndpointSet(
            "ep",
            EndpointSetArgs(
                vpc_id="vpc-1",
                vpc_cidr="10.0.0.0/16",
                region="ap-northeast-1",
                subnet_ids=["subnet-a", "subnet-c"],
                route_table_ids=["rtb-a", "rtb-c"],
                services=frozenset(services),
                **kwargs,
            ),
        )
        pulumi.export("done", True)

    return run_component(program)


def policy_of(recording, service):
    endpoint = next(
        e
        for e in recording.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
        if e.inputs["serviceName"].endswith(f".{service}")
    )
    policy = endpoint.inputs.get("policy")
    return json.loads(policy)["Statement"] if policy else None


def test_the_s3_gateway_gets_the_layer_bucket_and_the_allowed_buckets():
    recording = build({"s3"}, allowed_bucket_arns=[MEDIA])
    statements = policy_of(recording, "s3")
    assert allows(
        statements, action="s3:GetObject", resource=f"{MEDIA}/k", principal_account=ACCOUNT
    )
    assert not allows(
        statements, action="s3:GetObject", resource=f"{BACKUPS}/k", principal_account=ACCOUNT
    )


def test_interface_endpoints_get_the_account_policy_unless_not_signed_by_aws():
    recording = build({"logs", "ssmmessages", "email-smtp"})
    assert policy_of(recording, "logs") == interface_policy_statements(ACCOUNT)
    assert policy_of(recording, "ssmmessages") is None
    assert policy_of(recording, "email-smtp") is None
