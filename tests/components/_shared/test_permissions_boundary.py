"""Every IAM role and user a program declares carries the boundary, from one transformation."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest

from components._shared.permissions_boundary import (
    bound_every_identity,
    bound_identities,
    boundary_policy_arn,
    default_boundary_name,
    partition_of,
)
from tools.offline import RecordingMocks, run_program

BOUNDARY = "arn:aws:iam::123456789012:policy/tw-prod-permissions-boundary"
TRUST = '{"Version":"2012-10-17","Statement":[]}'


def test_a_policy_name_is_an_arn_in_the_account_and_partition():
    assert boundary_policy_arn("tw-prod-permissions-boundary", "aws", "123456789012") == BOUNDARY
    assert boundary_policy_arn("b", "aws-cn", "1") == "arn:aws-cn:iam::1:policy/b"
    other = "arn:aws:iam::210987654321:policy/org/boundary"
    assert boundary_policy_arn(other, "aws", "123456789012") == other


def test_a_policy_that_is_neither_a_name_nor_an_arn_is_refused():
    with pytest.raises(ValueError, match="neither an IAM policy name"):
        boundary_policy_arn("two words", "aws", "123456789012")


def test_the_default_name_and_the_partition_of_a_region():
    assert default_boundary_name("tw-prod") == "tw-prod-permissions-boundary"
    assert [partition_of(r) for r in ("ap-northeast-1", "cn-north-1", "us-gov-west-1")] == [
        "aws",
        "aws-cn",
        "aws-us-gov",
    ]


def test_the_stack_transformation_bounds_roles_and_users_and_nothing_else():
    """pulumi.runtime.register_stack_transformation under the project's offline mocks."""

    def program() -> None:
        pulumi.runtime.register_stack_transformation(bound_identities(BOUNDARY))
        aws.iam.Role("role", assume_role_policy=TRUST)
        aws.iam.User("user", path="/ses-smtp/")
        own = "arn:aws:iam::123456789012:policy/its-own"
        aws.iam.Role("kept", assume_role_policy=TRUST, permissions_boundary=own)
        aws.s3.Bucket("bucket")

    mocks = RecordingMocks(region="ap-northeast-1")
    recording = run_program(program, config={"aws:region": "ap-northeast-1"}, mocks=mocks)
    boundaries = {r.name: r.inputs.get("permissionsBoundary") for r in recording.resources}
    assert boundaries["role"] == BOUNDARY
    assert boundaries["user"] == BOUNDARY
    assert boundaries["kept"] == "arn:aws:iam::123456789012:policy/its-own"
    assert boundaries["bucket"] is None


def test_bound_every_identity_names_the_default_policy_in_the_account_and_region():
    def program() -> None:
        arn = bound_every_identity("tw-x", "", "cn-north-1")
        pulumi.export("boundary", arn)
        aws.iam.Role("role", assume_role_policy=TRUST)

    recording = run_program(program, config={"aws:region": "cn-north-1"})
    role = next(r for r in recording.resources if r.name == "role")
    expected = "arn:aws-cn:iam::123456789012:policy/tw-x-permissions-boundary"
    assert role.inputs["permissionsBoundary"] == expected
