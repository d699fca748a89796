"""S3 rules: each bucket together with its companion resources (FSBP S3.*).

A bucket's public access block, policy and ownership controls are resources of their own that
point at it, so every S3 rule is a stack rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from policy.aws_types import (
    BUCKET_ACLS,
    BUCKET_OWNERSHIP,
    BUCKET_POLICY,
    BUCKET_PUBLIC_ACCESS_BLOCK,
    BUCKETS,
)
from policy.model import Enforcement, Resource, stack_rule
from policy.readers import as_list, of_type, refers_to, statements

MANDATORY = Enforcement.MANDATORY


def _bucket_companions(
    resources: Sequence[Resource], kind: str | tuple[str, ...]
) -> list[tuple[Resource, list[Resource]]]:
    """Each bucket with the resources of type ``kind`` that point at it."""
    kinds = (kind,) if isinstance(kind, str) else kind
    companions = of_type(resources, *kinds)
    return [
        (bucket, [c for c in companions if refers_to(c.props.get("bucket"), bucket)])
        for bucket in of_type(resources, *BUCKETS)
    ]


_PUBLIC_ACCESS_FLAGS = (
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
)


@stack_rule(
    "S3.1/S3.8",
    "S3 buckets block public access",
    MANDATORY,
    reads=[*BUCKETS, BUCKET_PUBLIC_ACCESS_BLOCK],
)
def check_s3_8_block_public_access(
    resources: Sequence[Resource],
) -> list[tuple[Resource | None, str]]:
    findings: list[tuple[Resource | None, str]] = []
    for bucket, blocks in _bucket_companions(resources, BUCKET_PUBLIC_ACCESS_BLOCK):
        if not any(all(b.props.get(flag) is True for flag in _PUBLIC_ACCESS_FLAGS) for b in blocks):
            findings.append((bucket, "no public access block with all four settings true"))
    return findings


def _denies_plain_http(document: Any) -> bool:
    for statement in statements(document):
        condition = statement.get("Condition") or {}
        secure = (condition.get("Bool") or {}).get("aws:SecureTransport")
        if statement.get("Effect") == "Deny" and str(secure).lower() == "false":
            return True
    return False


@stack_rule("S3.5", "S3 buckets refuse plain HTTP", MANDATORY, reads=[*BUCKETS, BUCKET_POLICY])
def check_s3_5_ssl_only(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    findings: list[tuple[Resource | None, str]] = []
    for bucket, policies in _bucket_companions(resources, BUCKET_POLICY):
        if not any(_denies_plain_http(p.props.get("policy")) for p in policies):
            findings.append(
                (bucket, "no bucket policy denies requests with aws:SecureTransport false")
            )
    return findings


@stack_rule(
    "S3.12",
    "S3 buckets do not use ACLs",
    MANDATORY,
    reads=[*BUCKETS, BUCKET_OWNERSHIP, *BUCKET_ACLS],
)
def check_s3_12_no_acls(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    # Since April 2023 new buckets default to BucketOwnerEnforced (ACLs off); a stack fails
    # only when it turns ACLs back on.
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
    findings: list[tuple[Resource | None, str]] = []
    for bucket, controls in _bucket_companions(resources, BUCKET_OWNERSHIP):
        for control in controls:
            rule = as_list(control.props.get("rule"))
            ownership = (rule[0] if rule else {}).get("objectOwnership")
            if ownership != "BucketOwnerEnforced":
                findings.append((bucket, f"object ownership {ownership!r} re-enables ACLs"))
        if bucket.props.get("acl") or bucket.props.get("grants"):
            findings.append((bucket, "the bucket sets an ACL"))
    for bucket, acls in _bucket_companions(resources, BUCKET_ACLS):
        if acls:
            findings.append((bucket, "a BucketAcl resource manages access with ACLs"))
    return findings
