"""Who may do what in the prod stack, run from __main__.py with Pulumi.prod.yaml's settings:
the task's and execution roles' policies, the secrets, the access logs' one reader."""

from __future__ import annotations

import json

from tests.stack_runs import (
    MEDIA_BUCKET_COMPONENT,
    SECRET_VERSION,
    bucket_of,
    containers,
    environment,
    policy_statements,
    secrets,
)
from tools.offline import StackRecording


def test_media_goes_to_s3_with_the_task_role_not_access_keys(prod):
    bucket = bucket_of(prod, MEDIA_BUCKET_COMPONENT)
    statements = policy_statements(prod, "task-policy")
    media = [s for s in statements if s["Sid"].startswith("Media")]
    resources = {
        r
        for s in media
        for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
    }
    assert resources == {bucket.outputs["arn"], bucket.outputs["arn"] + "/*"}
    for container in containers(prod).values():
        assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} & set(environment(container))


def test_no_policy_grants_a_wildcard_action(prod):
    documents = [
        json.loads(p.inputs["policy"]) for p in prod.of_type("aws:iam/rolePolicy:RolePolicy")
    ]
    documents += [
        json.loads(p.inputs["policy"]) for p in prod.of_type("aws:iam/userPolicy:UserPolicy")
    ]
    assert documents
    for document in documents:
        for statement in document["Statement"]:
            if statement["Effect"] != "Allow":
                continue
            actions = (
                statement["Action"]
                if isinstance(statement["Action"], list)
                else [statement["Action"]]
            )
            assert all("*" not in action for action in actions), statement


def _secret_values(recording: StackRecording) -> set[str]:
    values = {
        r.outputs["result"] for r in recording.of_type("random:index/randomPassword:RandomPassword")
    }
    for key in recording.of_type("aws:iam/accessKey:AccessKey"):
        values |= {key.outputs["secret"], key.outputs["sesSmtpPasswordV4"], key.id}
    values |= {v.inputs["secretString"] for v in recording.of_type(SECRET_VERSION)}
    return values


def test_no_secret_value_and_no_secret_name_in_any_environment(prod):
    secret_values = _secret_values(prod)
    assert len(secret_values) >= 6
    for container in containers(prod).values():
        for name, value in environment(container).items():
            assert not any(secret in value for secret in secret_values), name
            assert not any(word in name for word in ("PASSWORD", "SECRET", "ACCESS_KEY")), name
            assert not value.startswith("AKIA"), name
        for reference in secrets(container).values():
            assert reference.startswith("arn:aws:secretsmanager:"), reference


def test_execution_role_reads_only_this_stacks_secrets(prod):
    statement = next(
        s for s in policy_statements(prod, "tw-prod-execution-policy") if s["Sid"] == "TaskSecrets"
    )
    referenced = {ref for c in containers(prod).values() for ref in secrets(c).values()}
    assert set(statement["Resource"]) == referenced
    assert statement["Action"] == ["secretsmanager:GetSecretValue"]


def test_only_the_break_glass_role_may_read_the_access_logs(prod):
    """They hold every request URL; ELB writes them and nothing in the task reads them."""
    policy = prod.one("aws:s3/bucketPolicy:BucketPolicy", name="tw-prod-access-logs-policy")
    by_sid = {s["Sid"]: s for s in json.loads(policy.inputs["policy"])["Statement"]}
    deny = by_sid["DenyObjectReadsToOthers"]
    assert {"s3:GetObject", "s3:GetObjectVersion"} <= set(deny["Action"])
    assert deny["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::123456789012:role/tw-prod-break-glass"]}
    }
    assert by_sid["ElbAccessLogDelivery"]["Action"] == "s3:PutObject"
