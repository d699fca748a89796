"""The deploy role's Secrets Manager, S3 and KMS grants, on the stack's own resources only.

A deploy may read the stack's secret values, change its bucket policies and use its keys; the
same actions on ``*`` would reach every secret, bucket and key of the account. Each action
here takes a resource in the Service Authorization Reference, so it is granted on ARNs built
from the names the program gives (Pulumi's auto-name: the logical name, ``-`` and 7
characters, unless ``name``/``bucket`` is set):

- Secrets Manager: ``secret:<name>-??????``, the 6 characters Secrets Manager appends
  (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html);
  the master secret RDS makes for ``manage_master_user_password`` is named ``rds!db-<uuid>``
  (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html).
- S3: ``arn:aws:s3:::<bucket>`` and its objects ``<bucket>/*``; ``CreateBucket`` takes the
  bucket ARN too (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
- KMS: key ARNs are random, so the stack's keys carry a ``Name`` tag and the key operations
  require it (``aws:ResourceTag/Name``), reads of a key's settings and turning rotation on do
  not (:data:`KMS_READS`); ``CreateKey`` takes no resource and ``TagResource``
  on a new key must not be limited to keys, so both require the new tag
  (``aws:RequestTag/Name``, ``aws:TagKeys``), and retagging a key another stack named is
  denied. https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html,
  https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html,
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
  The AWS managed keys EFS, AWS Backup and RDS use on the caller's behalf are allowed only
  through those services (``kms:ViaService``:
  https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tools.plan.deploy_actions import NEEDS

SECRET, BUCKET, KEY = (
    "aws:secretsmanager/secret:Secret",
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
)
RDS_INSTANCE = "aws:rds/instance:Instance"
# Object-level S3 actions (resource type ``object``); every other S3 action the table holds
# takes the ``bucket`` resource type (Service Authorization Reference, Amazon S3).
S3_OBJECT_ACTIONS = frozenset({"s3:DeleteObject", "s3:DeleteObjectVersion"})
# KMS actions that take no resource (Service Authorization Reference, KMS): on ``*``.
KMS_UNSCOPED = frozenset({"kms:ListAliases"})
KMS_ON_CREATE = ("kms:CreateKey", "kms:TagResource")
# Reads of a key's settings (no data) and turning its rotation on (it only adds key material)
# go to every key of the account: KMS may take up to five minutes to authorize by a new key's
# tags (https://docs.aws.amazon.com/kms/latest/developerguide/abac.html), and the provider
# enables rotation and reads the key right after CreateKey, retrying only NotFound
# (internal/service/kms/key.go: resourceKeyCreate -> updateKeyRotationEnabled, findKeyInfo).
KMS_READS = frozenset(
    {"kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags",
     "kms:EnableKeyRotation"}
)  # fmt: skip
TAG = "Name"
# The services that use an AWS managed key with the deploying caller's permissions, by the
# type that makes them do it; their kms actions are allowed only through that service.
VIA_SERVICE = {
    "aws:efs/fileSystem:FileSystem": "elasticfilesystem",
    "aws:backup/vault:Vault": "backup",
    RDS_INSTANCE: "rds",
}
SCOPED_SERVICES = ("secretsmanager", "s3", "kms")


class UnscopedActionError(LookupError):
    """A type needs a Secrets Manager, S3 or KMS action this module cannot scope."""


def auto_name(resource: Any, name_key: str, prefix_key: str) -> str:
    """The physical name as a pattern: ``name_key`` when set, else the prefix (``prefix_key``
    or the logical name and ``-``) and Pulumi's random suffix."""
    if name := resource.inputs.get(name_key):
        return name
    return f"{resource.inputs.get(prefix_key) or resource.name + '-'}*"


def secret_arn_patterns(resources: Iterable[Any], target: Any) -> list[str]:
    base = f"arn:{target.partition}:secretsmanager:{target.region}:{target.account}:secret:"
    patterns = set()
    for resource in (r for r in resources if r.type == SECRET):
        name = auto_name(resource, "name", "namePrefix")
        patterns.add(base + (name if name.endswith("*") else f"{name}-??????"))
    return sorted(patterns)


def bucket_names(resources: Iterable[Any]) -> list[str]:
    return sorted({auto_name(r, "bucket", "bucketPrefix") for r in resources if r.type == BUCKET})


def key_names(resources: Iterable[Any]) -> list[str]:
    """The ``Name`` tag of every key the stack declares; a key without one stops the policy."""
    keys = [r for r in resources if r.type == KEY]
    if untagged := sorted(r.name for r in keys if not (r.inputs.get("tags") or {}).get(TAG)):
        raise UnscopedActionError(
            f"kms keys {', '.join(untagged)} carry no {TAG!r} tag: the deploy role may use "
            f"only keys tagged {TAG}=<their name>; add tags={{'{TAG}': ...}}"
        )
    return sorted({r.inputs["tags"][TAG] for r in keys})


def _of(service: str, actions: Iterable[str]) -> list[str]:
    return sorted(a for a in actions if a.startswith(f"{service}:"))


def _allow(sid: str, actions: list[str], resource: Any, condition: dict | None = None) -> dict:
    statement = {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource}
    return {**statement, "Condition": condition} if condition else statement


def _secret_statements(declared: Any, target: Any) -> list[dict]:
    types = declared.types
    own = {a for k in types if k.startswith("aws:secretsmanager/") for a in NEEDS[k].actions}
    statements = []
    if arns := secret_arn_patterns(declared.resources, target):
        statements.append(_allow("StackSecrets", _of("secretsmanager", own), arns))
    if RDS_INSTANCE in types and (rds := _of("secretsmanager", NEEDS[RDS_INSTANCE].actions)):
        base = f"arn:{target.partition}:secretsmanager:{target.region}:{target.account}"
        statements.append(_allow("RdsMasterSecret", rds, f"{base}:secret:rds!db-*"))
    return statements


def _bucket_statements(declared: Any, target: Any, actions: set[str]) -> list[dict]:
    names = bucket_names(declared.resources)
    s3 = _of("s3", actions)
    if not names:
        return []
    bucket = sorted(a for a in s3 if a not in S3_OBJECT_ACTIONS)
    objects = sorted(a for a in s3 if a in S3_OBJECT_ACTIONS)
    arn = f"arn:{target.partition}:s3:::"
    statements = [_allow("StackBuckets", bucket, [arn + n for n in names])]
    if objects:
        statements.append(_allow("StackObjects", objects, [f"{arn}{n}/*" for n in names]))
    return statements


def _key_statements(declared: Any, target: Any) -> list[dict]:
    types = declared.types
    statements: list[dict] = []
    if KEY in types and (names := key_names(declared.resources)):
        kms = f"arn:{target.partition}:kms:{target.region}:{target.account}:"
        needs = _of("kms", NEEDS[KEY].actions)
        key_ops = [a for a in needs if a not in KMS_ON_CREATE and a not in KMS_READS]
        reads = [a for a in needs if a in KMS_READS]
        tagged = {"StringEquals": {f"aws:ResourceTag/{TAG}": names}}
        on_create = {
            "StringEquals": {f"aws:RequestTag/{TAG}": names},
            "ForAllValues:StringEquals": {"aws:TagKeys": [TAG]},
        }
        statements += [
            _allow("StackKeys", key_ops, f"{kms}key/*", tagged),
            _allow("AnyKeysSettingsAndRotation", reads, f"{kms}key/*"),
            _allow("CreateStackKeys", list(KMS_ON_CREATE), "*", on_create),
            {
                "Sid": "NeverRenameAnotherKey",
                "Effect": "Deny",
                "Action": ["kms:TagResource", "kms:UntagResource"],
                "Resource": "*",
                "Condition": {
                    "StringNotEquals": {f"aws:ResourceTag/{TAG}": names},
                    "Null": {f"aws:ResourceTag/{TAG}": "false"},
                },
            },
        ]
    via = {
        a
        for kind, service in VIA_SERVICE.items()
        if kind in types
        for a in _of("kms", NEEDS[kind].actions)
    } - KMS_UNSCOPED
    if via:
        services = sorted(
            f"{s}.{target.region}.amazonaws.com" for k, s in VIA_SERVICE.items() if k in types
        )
        condition = {"StringLike": {"kms:ViaService": services}}
        statements.append(_allow("AwsManagedKeysThroughTheirService", sorted(via), "*", condition))
    return statements


def scoped_statements(declared: Any, target: Any, actions: set[str]) -> tuple[list[dict], set]:
    """The statements on the stack's secrets, buckets and keys, and the actions they grant
    (which the policies on ``*`` must then leave out)."""
    types = declared.types
    covered = set(KMS_UNSCOPED)
    for kind in types:
        mine = {a for a in NEEDS[kind].actions if a.split(":")[0] in SCOPED_SERVICES}
        if kind.startswith(("aws:secretsmanager/", "aws:s3/")) or kind in (KEY, RDS_INSTANCE):
            covered |= mine
        elif kind in VIA_SERVICE:
            covered |= {a for a in mine if a.startswith("kms:")}
        if unscoped := sorted(mine - covered):
            raise UnscopedActionError(
                f"{kind} needs {', '.join(unscoped)}: tools/plan/deploy_scoped.py scopes Secrets "
                "Manager, S3 and KMS to the stack's own resources; say on which"
            )
    statements = (
        _secret_statements(declared, target)
        + _bucket_statements(declared, target, actions)
        + _key_statements(declared, target)
    )
    granted = {a for s in statements if s["Effect"] == "Allow" for a in s["Action"]}
    return statements, granted
