"""tools.plan.deploy_scoped: the deploy role may act on the stack's own secrets, buckets and keys,
named as the program and AWS name them, and on no other stack's, nor on anyone's else."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from stack.paths import REPO_ROOT
from tests.stack_runs import stand_in_stack_file
from tests.tools.plan.deploy_stacks import ACCOUNT, STACKS, SUFFIX, granted, stack_policies
from tests.tools.plan.policy_eval import allows, listed
from tools.plan.deploy_actions import NEEDS
from tools.plan.deploy_policies import Declared, deploy_policies
from tools.plan.deploy_role import target_of

RECORDING = REPO_ROOT / "tests" / "stack" / "prod_stack.json"
SECRET, BUCKET, KEY = (
    "aws:secretsmanager/secret:Secret",
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
)
SECRET_SUFFIX = "AbCdEf"  # Secrets Manager appends "-" and 6 random characters to the name
# Object-level S3 actions take the object ARN, bucket-level ones the bucket's
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
OBJECT_ACTIONS = {"s3:DeleteObject", "s3:DeleteObjectVersion"}
# KMS actions on "*" (they take no resource, or tag a key being created):
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
# https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html
KMS_ON_ANY = {"kms:ListAliases", "kms:CreateKey", "kms:TagResource"}
# Reads of any key's settings (no data) and turning rotation on, which the provider does right
# after CreateKey (internal/service/kms/key.go: resourceKeyCreate): KMS authorizes by a new
# key's tags only after up to five minutes
# (https://docs.aws.amazon.com/kms/latest/developerguide/abac.html).
KMS_READS = {"kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
             "kms:ListResourceTags", "kms:EnableKeyRotation"}  # fmt: skip


@pytest.fixture(scope="module")
def stacks() -> dict[str, tuple[Declared, list[dict], str]]:
    return stack_policies()


def needed(declared: Declared, prefix: str, service: str) -> set[str]:
    return {
        a
        for kind in declared.types
        if kind.startswith(prefix)
        for a in NEEDS[kind].actions
        if a.startswith(f"{service}:")
    }


def recorded(kind: str) -> list[SimpleNamespace]:
    """The recorded prod stack's resources of ``kind``, as name and inputs."""
    entries = json.loads(RECORDING.read_text())
    return [
        SimpleNamespace(name=e["urn"].split("::")[-1], inputs=e.get("inputs") or {})
        for e in entries
        if e["urn"].split("::")[-2].split("$")[-1] == kind
    ]


def of_kind(declared: Declared, kind: str) -> list:
    return [r for r in declared.resources if r.type == kind]


def secret_arn(region: str, name: str) -> str:
    return f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:{name}-{SECRET_SUFFIX}"


def key_arn(region: str, key_id: str = "1234abcd-12ab-34cd-56ef-1234567890ab") -> str:
    return f"arn:aws:kms:{region}:{ACCOUNT}:key/{key_id}"


@pytest.mark.parametrize("stack", STACKS)
def test_secrets_the_stack_declares_and_no_other(stacks, stack):
    declared, statements, region = stacks[stack]
    actions = needed(declared, "aws:secretsmanager/", "secretsmanager")
    own = of_kind(declared, SECRET) + (recorded(SECRET) if stack == "prod" else [])
    assert own
    assert actions
    for secret in own:
        arn = secret_arn(region, secret.inputs.get("name") or f"{secret.name}-{SUFFIX}")
        assert [a for a in sorted(actions) if not allows(statements, a, arn)] == [], arn
    others = [
        "other-app-db-password",
        f"tw-{stack}x-db-password-secret-{SUFFIX}",
        f"tw-staging-django-secret-key-secret-{SUFFIX}",
        "rds!cluster-0a1b2c3d",
    ]
    for name in others:
        arn = secret_arn(region, name)
        for action in sorted(granted(statements, "secretsmanager")):
            assert not allows(statements, action, arn), (action, arn)


def test_the_master_secret_rds_makes_is_created_and_rotated_but_never_read(stacks):
    # manage_master_user_password: RDS creates rds!db-<uuid> with the caller's permissions
    # (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html).
    _declared, statements, region = stacks["scale"]
    arn = secret_arn(region, "rds!db-0a1b2c3d-4e5f-6789-abcd-ef0123456789")
    rds = {a for a in NEEDS["aws:rds/instance:Instance"].actions if a.startswith("secrets")}
    assert rds
    assert all(allows(statements, a, arn) for a in rds)
    assert not allows(statements, "secretsmanager:GetSecretValue", arn)


@pytest.mark.parametrize("stack", STACKS)
def test_buckets_the_stack_declares_and_no_other(stacks, stack):
    declared, statements, _region = stacks[stack]
    actions = needed(declared, "aws:s3/", "s3")
    own = of_kind(declared, BUCKET) + (recorded(BUCKET) if stack == "prod" else [])
    assert own
    assert actions
    for bucket in own:
        name = bucket.inputs.get("bucket") or f"{bucket.name}-{SUFFIX}"
        for action in sorted(actions):
            arn = f"arn:aws:s3:::{name}" + ("/media/a.png" if action in OBJECT_ACTIONS else "")
            assert allows(statements, action, arn), (action, arn)
    others = ["other-app-uploads", f"tw-staging-media-bucket-{SUFFIX}", f"tw-{stack}x-media-b"]
    for name in others:
        for action in sorted(granted(statements, "s3")):
            for arn in (f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/media/a.png"):
                assert not allows(statements, action, arn), (action, arn)


@pytest.mark.parametrize("stack", STACKS)
def test_keys_the_stack_declares_and_no_other(stacks, stack):
    """Key ARNs are random: the stack's keys carry a Name tag, the key operations require it
    (aws:ResourceTag), creating or tagging a key requires that the new tag is one of them
    (aws:RequestTag, aws:TagKeys): https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html"""
    declared, statements, region = stacks[stack]
    actions = needed(declared, KEY, "kms")
    own = of_kind(declared, KEY) + (recorded(KEY) if stack == "prod" else [])
    assert own
    assert actions
    for key in own:
        name = (key.inputs.get("tags") or {}).get("Name")
        assert name == key.name, f"{key.name} carries no Name tag of its own"
        creating = {"aws:RequestTag/Name": name, "aws:TagKeys": ["Name"]}
        assert allows(statements, "kms:CreateKey", "*", creating)
        assert allows(statements, "kms:TagResource", key_arn(region), creating)
        tagged = {"aws:ResourceTag/Name": name}
        uses = sorted(actions - {"kms:CreateKey", "kms:TagResource"})  # tested above
        assert [a for a in uses if not allows(statements, a, key_arn(region), tagged)] == []
    mine = sorted({r.inputs["tags"]["Name"] for r in of_kind(declared, KEY)})
    other = {"aws:ResourceTag/Name": f"tw-staging-exec-key-{SUFFIX}"}
    assert {"kms:Decrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"} & granted(
        statements, "kms"
    )
    for action in sorted(granted(statements, "kms") - KMS_ON_ANY - KMS_READS):
        for context in (other, {}):  # another stack's key; a key of nobody (untagged)
            assert not allows(statements, action, key_arn(region), context), (action, context)
    # Renaming another stack's key into this stack's is denied; so is a key with other tags.
    renaming = {**other, "aws:RequestTag/Name": mine[0], "aws:TagKeys": ["Name"]}
    assert not allows(statements, "kms:TagResource", key_arn(region), renaming)
    foreign = {"aws:RequestTag/Name": "other-app-key", "aws:TagKeys": ["Name"]}
    assert not allows(statements, "kms:CreateKey", "*", foreign)
    assert not allows(statements, "kms:CreateKey", "*", {})
    assert not allows(statements, "kms:TagResource", key_arn(region), foreign)


@pytest.mark.parametrize("stack", STACKS)
def test_aws_managed_keys_only_through_the_service_that_uses_them(stacks, stack):
    """EFS, AWS Backup and RDS use their AWS managed keys with the caller's permissions; the
    deploy role may do so only through them (kms:ViaService:
    https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service)."""
    declared, statements, region = stacks[stack]
    via = {
        "aws:efs/fileSystem:FileSystem": "elasticfilesystem",
        "aws:backup/vault:Vault": "backup",
        "aws:rds/instance:Instance": "rds",
    }
    used = {k: s for k, s in via.items() if k in declared.types}
    assert used
    managed = key_arn(region, "aaaa1111-22bb-33cc-44dd-555555eeeeee")
    for kind, service in used.items():
        context = {"kms:ViaService": f"{service}.{region}.amazonaws.com"}
        actions = sorted(a for a in NEEDS[kind].actions if a.startswith("kms:"))
        assert actions
        for action in actions:
            assert allows(statements, action, managed, context), (kind, action)
            if action not in KMS_ON_ANY | KMS_READS:
                assert not allows(statements, action, managed), (kind, action)


@pytest.mark.parametrize("stack", STACKS)
def test_only_actions_that_take_no_resource_stay_on_any_secret_bucket_or_key(stacks, stack):
    _, statements, _ = stacks[stack]
    on_any = {
        a
        for s in statements
        if s["Effect"] == "Allow" and "*" in listed(s["Resource"]) and not s.get("Condition")
        for a in listed(s["Action"])
        if a.split(":")[0] in ("secretsmanager", "s3", "kms")
    }
    assert on_any <= {"kms:ListAliases"}


def test_a_key_without_a_name_tag_stops_the_policies(stacks):
    from tools.plan.deploy_scoped import UnscopedActionError

    declared, _, _ = stacks["prod"]
    untagged = SimpleNamespace(type=KEY, custom=True, name="tw-prod-new-key", inputs={})
    with pytest.raises(UnscopedActionError, match=r"tw-prod-new-key carry no 'Name' tag"):
        deploy_policies(
            Declared([*declared.resources, untagged], declared.data_sources),
            target_of("prod", ACCOUNT, config_file=stand_in_stack_file("prod")),
        )
