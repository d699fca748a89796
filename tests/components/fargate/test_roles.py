"""What a FargateService's execution role and task role may do, from plain inputs."""

import json

from components._shared.iam import trust_statement
from components.fargate.roles import (
    ECR_PULL_ACTIONS,
    ECS_EXEC_ACTIONS,
    ExecSessionLogging,
    ecs_task_source_arns,
    exec_log_group_name,
    exec_log_key_policy,
    execution_role_statements,
    log_stream_arn,
    referenced_secret_arns,
    secret_arn,
    task_role_statements,
)
from components.fargate.types import ContainerSpec, SecretKey

SECRET_ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:app-key-AbCdEf"
OTHER_SECRET_ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db-pw-GhIjKl"
LOG_GROUP_ARN = "arn:aws:logs:ap-northeast-1:123456789012:log-group:/ecs/svc/app"
APP_STATEMENT = {"Sid": "App", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:b/*"}


def by_sid(statements):
    return {statement["Sid"]: statement for statement in statements}


def test_log_stream_arn_covers_every_stream_of_the_group():
    assert log_stream_arn(LOG_GROUP_ARN) == LOG_GROUP_ARN + ":*"


def test_referenced_secrets_are_listed_once_in_first_use_order():
    containers = [
        ContainerSpec("web", "img", secrets={"B_KEY": OTHER_SECRET_ARN, "A_KEY": SECRET_ARN}),
        ContainerSpec("db", "img", secrets={"PW": OTHER_SECRET_ARN}),
        ContainerSpec("nginx", "img"),
    ]
    assert referenced_secret_arns(containers) == [OTHER_SECRET_ARN, SECRET_ARN]
    assert referenced_secret_arns([ContainerSpec("nginx", "img")]) == []


def test_keys_of_one_json_secret_are_read_as_that_secret_once():
    username, password = SecretKey(SECRET_ARN, "username"), SecretKey(SECRET_ARN, "password")
    containers = [
        ContainerSpec("init", "img", secrets={"PGUSER": username, "PGPASSWORD": password}),
        ContainerSpec("web", "img", secrets={"KEY": f"{OTHER_SECRET_ARN}:key::"}),
    ]
    assert referenced_secret_arns(containers) == [SECRET_ARN, OTHER_SECRET_ARN]
    # The ECS form arn:...:secret:name:json-key:version-stage:version-id, cut to the secret.
    assert secret_arn(f"{SECRET_ARN}:password:AWSCURRENT:") == SECRET_ARN
    assert secret_arn(SECRET_ARN) == SECRET_ARN


def test_execution_role_reads_exactly_the_referenced_secrets_and_writes_its_logs():
    statements = by_sid(
        execution_role_statements(
            log_stream_arns=[LOG_GROUP_ARN + ":*"],
            image_repository_arns=["arn:repo"],
            secret_arns=[SECRET_ARN],
        )
    )
    assert statements["TaskSecrets"]["Action"] == ["secretsmanager:GetSecretValue"]
    assert statements["TaskSecrets"]["Resource"] == [SECRET_ARN]
    assert statements["EcrPull"]["Action"] == list(ECR_PULL_ACTIONS)
    assert statements["EcrPull"]["Resource"] == ["arn:repo"]
    assert statements["Logs"]["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert statements["Logs"]["Resource"] == [LOG_GROUP_ARN + ":*"]


def test_execution_role_logs_in_to_ecr_everywhere_since_the_action_has_no_resource():
    (login,) = [s for s in execution_role_statements([]) if s["Sid"] == "EcrLogin"]
    assert (login["Action"], login["Resource"]) == (["ecr:GetAuthorizationToken"], "*")


def test_execution_role_without_repositories_or_secrets_gets_neither_statement():
    statements = by_sid(execution_role_statements(log_stream_arns=[LOG_GROUP_ARN + ":*"]))
    assert set(statements) == {"EcrLogin", "Logs"}
    assert all(s["Effect"] == "Allow" for s in statements.values())


def test_task_role_gets_the_app_statements_and_exactly_the_four_exec_actions():
    statements = task_role_statements([APP_STATEMENT], enable_exec=True)
    assert statements[0] == APP_STATEMENT
    assert statements[1]["Action"] == list(ECS_EXEC_ACTIONS)
    assert statements[1]["Resource"] == "*"
    assert len(ECS_EXEC_ACTIONS) == 4
    assert all(action.startswith("ssmmessages:") for action in ECS_EXEC_ACTIONS)
    assert all(not action.endswith("*") for action in ECS_EXEC_ACTIONS)


def test_task_role_without_exec_gets_only_the_app_statements_as_copies():
    statements = task_role_statements([APP_STATEMENT], enable_exec=False)
    assert statements == [APP_STATEMENT]
    assert statements[0] is not APP_STATEMENT
    assert task_role_statements([], enable_exec=False) == []


# --- ECS Exec session logging --------------------------------------------------------------

EXEC_GROUP_ARN = "arn:aws:logs:ap-northeast-1:123456789012:log-group:/ecs-exec/svc"


def test_logged_exec_sessions_let_the_task_role_write_to_that_group_only():
    statements = by_sid(task_role_statements([], True, ExecSessionLogging(EXEC_GROUP_ARN)))
    assert statements["EcsExecSessionLogs"]["Action"] == [
        "logs:CreateLogStream",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
    ]
    assert statements["EcsExecSessionLogs"]["Resource"] == f"{EXEC_GROUP_ARN}:*"
    # The agent checks that the group exists and is encrypted; the action names no group.
    assert statements["EcsExecFindLogGroup"] == {
        "Sid": "EcsExecFindLogGroup",
        "Effect": "Allow",
        "Action": ["logs:DescribeLogGroups"],
        "Resource": "*",
    }
    assert not any(a.startswith("kms:") for s in statements.values() for a in s["Action"])


def test_without_exec_there_is_nothing_to_log():
    assert task_role_statements([], False, ExecSessionLogging(EXEC_GROUP_ARN)) == []


def test_exec_sessions_log_outside_the_containers_groups():
    assert exec_log_group_name("svc") == "/ecs-exec/svc"


def test_the_exec_log_key_serves_cloudwatch_logs_for_that_group_only():
    policy = json.loads(exec_log_key_policy("123456789012", "ap-northeast-1", "/ecs-exec/svc"))
    account, logs = policy["Statement"]
    assert account["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    assert logs["Principal"] == {"Service": "logs.ap-northeast-1.amazonaws.com"}
    assert logs["Condition"] == {
        "ArnEquals": {"kms:EncryptionContext:aws:logs:arn": EXEC_GROUP_ARN}
    }
    assert "kms:Decrypt*" in logs["Action"]


def test_ecs_task_roles_are_assumed_only_for_this_account_s_ecs_resources_in_the_region():
    assert ecs_task_source_arns("ap-northeast-1", "123456789012") == (
        "arn:aws:ecs:ap-northeast-1:123456789012:*"
    )


def test_a_service_trust_statement_names_the_account_and_the_source_arns():
    statement = trust_statement("ecs-tasks.amazonaws.com", "111122223333", "arn:aws:ecs:r:1:*")
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": "111122223333"}
    assert statement["Condition"]["ArnLike"] == {"aws:SourceArn": "arn:aws:ecs:r:1:*"}
    assert "ArnLike" not in trust_statement("backup.amazonaws.com", "111122223333")["Condition"]
