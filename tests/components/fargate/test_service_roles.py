"""FargateService's two roles: what each may do, who may assume it, and the ECS Exec session
log the task role writes to."""

import json

from components.fargate.roles import ECS_EXEC_ACTIONS
from components.fargate.types import (
    SecretKey,
)
from tests.components.fargate.service_runs import ROLE, SECRET_ARN, app, build
from tests.stack_runs import (
    ROLE_POLICY,
    TASK_DEFINITION,
    policy_statements,
)


def test_task_role_gets_the_app_statements_and_the_exec_actions():
    statement = {"Sid": "App", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:b/*"}
    recording = build([app()], task_role_statements=[statement])
    statements = policy_statements(recording, "task-policy")
    assert statements[0] == statement
    assert statements[1]["Action"] == list(ECS_EXEC_ACTIONS)
    role = next(r for r in recording.of_type("aws:iam/role:Role") if "task-role" in r.name)
    (policy,) = [p for p in recording.of_type(ROLE_POLICY) if "task-policy" in p.name]
    assert policy.inputs["role"] == role.id


def test_task_role_without_statements_or_exec_gets_no_policy():
    recording = build([app()], enable_exec=False)
    assert [p.name for p in recording.of_type(ROLE_POLICY)] == ["svc-execution-policy"]


def test_execution_role_reads_exactly_the_referenced_secrets_and_writes_its_logs():
    recording = build([app(secrets={"APP_KEY": SECRET_ARN})], image_repository_arns=["arn:repo"])
    statements = {s["Sid"]: s for s in policy_statements(recording, "execution-policy")}
    assert statements["TaskSecrets"]["Resource"] == [SECRET_ARN]
    assert statements["EcrPull"]["Resource"] == ["arn:repo"]
    group = recording.one("aws:cloudwatch/logGroup:LogGroup", name="svc-app-logs")
    assert statements["Logs"]["Resource"] == [group.outputs["arn"] + ":*"]
    task_definition = recording.one(TASK_DEFINITION).inputs
    role = next(r for r in recording.of_type("aws:iam/role:Role") if "execution-role" in r.name)
    assert task_definition["executionRoleArn"] == role.outputs["arn"]


def test_a_container_reads_keys_of_a_json_secret_that_the_execution_role_reads_whole():
    username, password = SecretKey(SECRET_ARN, "username"), SecretKey(SECRET_ARN, "password")
    init = app(
        name="init",
        port=None,
        essential=False,
        command=["python", "/init.py"],
        secrets={"PGUSER": username, "PGPASSWORD": password},
    )
    web = app(depends_on={"init": "SUCCESS"})
    recording = build([init, web])
    definitions = json.loads(recording.one(TASK_DEFINITION).inputs["containerDefinitions"])
    by_name = {c["name"]: c for c in definitions}
    assert by_name["init"]["secrets"] == [
        {"name": "PGPASSWORD", "valueFrom": f"{SECRET_ARN}:password::"},
        {"name": "PGUSER", "valueFrom": f"{SECRET_ARN}:username::"},
    ]
    assert by_name["init"]["command"] == ["python", "/init.py"]
    assert by_name["init"]["essential"] is False
    assert by_name["app"]["dependsOn"] == [{"containerName": "init", "condition": "SUCCESS"}]
    statements = {s["Sid"]: s for s in policy_statements(recording, "execution-policy")}
    assert statements["TaskSecrets"]["Resource"] == [SECRET_ARN]


def test_ecs_may_assume_each_role_only_under_the_conditions_aws_documents_for_it():
    """The task role: this account and its ECS resources in the region (the task role page);
    the execution role: this account only (its page documents no aws:SourceArn)."""
    recording = build([app()])
    roles = {r.name: json.loads(r.inputs["assumeRolePolicy"]) for r in recording.of_type(ROLE)}
    assert set(roles) == {"svc-execution-role", "svc-task-role"}
    for trust in roles.values():
        (statement,) = trust["Statement"]
        assert statement["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    (task,) = roles["svc-task-role"]["Statement"]
    assert task["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"},
        "ArnLike": {"aws:SourceArn": "arn:aws:ecs:ap-northeast-1:123456789012:*"},
    }
    (execution,) = roles["svc-execution-role"]["Statement"]
    assert execution["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


def test_the_cluster_logs_every_exec_session_to_an_encrypted_group():
    recording = build([app()], log_retention_days=14)
    exec_config = recording.one("aws:ecs/cluster:Cluster").inputs["configuration"][
        "executeCommandConfiguration"
    ]
    group = recording.one("aws:cloudwatch/logGroup:LogGroup", name="svc-exec-logs")
    key = recording.one("aws:kms/key:Key")
    assert exec_config["logging"] == "OVERRIDE"
    assert exec_config["logConfiguration"] == {
        "cloudWatchLogGroupName": "/ecs-exec/svc",
        "cloudWatchEncryptionEnabled": True,
    }
    assert group.inputs["kmsKeyId"] == key.outputs["arn"]
    assert group.inputs["retentionInDays"] == 14
    assert key.inputs["enableKeyRotation"] is True


def test_the_task_role_may_write_the_exec_sessions_log():
    recording = build([app()])
    group = recording.one("aws:cloudwatch/logGroup:LogGroup", name="svc-exec-logs")
    statements = {s["Sid"]: s for s in policy_statements(recording, "task-policy")}
    assert statements["EcsExecSessionLogs"]["Resource"] == group.outputs["arn"] + ":*"


def test_without_exec_no_session_log_key_or_configuration():
    recording = build([app()], enable_exec=False)
    assert recording.of_type("aws:kms/key:Key") == []
    assert "configuration" not in recording.one("aws:ecs/cluster:Cluster").inputs
