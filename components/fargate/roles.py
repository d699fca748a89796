"""The policy statements of a FargateService's two roles.

The execution role is what ECS uses to start the task: pull its images, write its logs, read
the secrets it injects. The task role is what the application inside may do: the caller's
statements, plus ECS Exec. Pure functions: statements are plain JSON-shaped dicts whose values
may be Outputs (``policy_document`` waits for them).
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from components._shared.iam import POLICY_VERSION, service_trust_policy
from components.fargate.types import ContainerSpec, SecretKey, SecretRef

# ECS Exec: the task role needs exactly these (listed, not "ssmmessages:*", which fails AWS
# Security Hub control IAM.21). https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
ECS_EXEC_ACTIONS = (
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
)

# The pull actions of AWS's managed AmazonECSTaskExecutionRolePolicy, here scoped to the task's
# own repositories instead of "*".
ECR_PULL_ACTIONS = (
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
)


ECS_TASKS_SERVICE = "ecs-tasks.amazonaws.com"


def task_role_logical_name(task_name: str) -> str:
    """The logical name of a FargateService's task role."""
    return f"{task_name}-task-role"


def task_role_name_pattern(task_name: str) -> str:
    """The physical name of that role as a pattern: Pulumi names it from the logical name, a
    hyphen and a random suffix (``tw-prod-task-role-1a2b3c4``), so a bucket policy written
    before the role exists can name it."""
    return f"{task_role_logical_name(task_name)}-*"


def ecs_task_source_arns(region: str, account_id: str) -> str:
    """What ``aws:SourceArn`` of an ECS task's role assumption matches: this account's ECS
    resources in this region (the AWS ECS guide's task IAM role trust policy,
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html)."""
    return f"arn:aws:ecs:{region}:{account_id}:*"


def task_trust_policy(account_id: pulumi.Input[str], region: str) -> pulumi.Output[str]:
    """The task role's trust: ECS tasks of this account, and (``aws:SourceArn``) of its ECS
    resources in this region, the two conditions the task role page recommends
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html)."""
    return service_trust_policy(
        ECS_TASKS_SERVICE,
        account_id,
        pulumi.Output.from_input(account_id).apply(
            lambda account: ecs_task_source_arns(region, account)
        ),
    )


def execution_trust_policy(account_id: pulumi.Input[str]) -> pulumi.Output[str]:
    """The execution role's trust: ECS tasks of this account (``aws:SourceAccount``) only.
    The task execution role page gives its trust policy without conditions and documents no
    ``aws:SourceArn`` for the agent that assumes it
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html),
    and a condition on a key the request lacks fails closed (the task would never start);
    ``aws:SourceAccount`` alone is the confused-deputy guard IAM recommends for service
    principals (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)."""
    return service_trust_policy(ECS_TASKS_SERVICE, account_id)


# A secret's ARN has seven colon-separated parts (arn:aws:secretsmanager:region:account:secret:
# name-suffix); a valueFrom may add :json-key:version-stage:version-id.
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
SECRET_ARN_PARTS = 7


def secret_arn(secret: SecretRef) -> pulumi.Input[str]:
    """The secret a reference reads: GetSecretValue is allowed on the secret's own ARN, also
    when the container gets only one of its JSON keys (a ``SecretKey``, or a plain string
    ``<arn>:<key>::``; an Output is taken as the whole secret's ARN)."""
    if isinstance(secret, SecretKey):
        return secret.secret_arn
    if isinstance(secret, str) and secret.startswith("arn:"):
        return ":".join(secret.split(":")[:SECRET_ARN_PARTS])
    return secret


def referenced_secret_arns(containers: Sequence[ContainerSpec]) -> list[pulumi.Input[str]]:
    """Every secret some container injects, once each, in first-use order (two keys of one
    secret: the secret once)."""
    return list(dict.fromkeys(secret_arn(ref) for c in containers for ref in c.secrets.values()))


def log_stream_arn(log_group_arn: str) -> str:
    """The ARN that covers every stream of a log group (PutLogEvents acts on streams)."""
    return f"{log_group_arn}:*"


def execution_role_statements(
    log_stream_arns: Sequence[pulumi.Input[str]],
    image_repository_arns: Sequence[pulumi.Input[str]] = (),
    secret_arns: Sequence[pulumi.Input[str]] = (),
) -> list[dict[str, Any]]:
    """ECR login, log writing, and only when there are any: image pulls from exactly these
    repositories and reads of exactly these secrets."""
    statements: list[dict[str, Any]] = [
        # GetAuthorizationToken has no resource-level permissions.
        {
            "Sid": "EcrLogin",
            "Effect": "Allow",
            "Action": ["ecr:GetAuthorizationToken"],
            "Resource": "*",
        },
        {
            "Sid": "Logs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": list(log_stream_arns),
        },
    ]
    if image_repository_arns:
        statements.append(
            {
                "Sid": "EcrPull",
                "Effect": "Allow",
                "Action": list(ECR_PULL_ACTIONS),
                "Resource": list(image_repository_arns),
            }
        )
    if secret_arns:
        statements.append(
            {
                "Sid": "TaskSecrets",
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue"],
                "Resource": list(secret_arns),
            }
        )
    return statements


@dataclass(frozen=True)
class ExecSessionLogging:
    """Where ECS Exec sessions are logged: a log group that CloudWatch Logs encrypts with a key
    of the stack's own (server side: the task needs no KMS permission or endpoint)."""

    log_group_arn: pulumi.Input[str]


def exec_log_group_name(task_name: str) -> str:
    """The group ECS Exec sessions are logged to; outside ``/ecs/<task>/``, where each
    container has its own group, so no container name can collide with it."""
    return f"/ecs-exec/{task_name}"


def exec_logging_statements(logging: ExecSessionLogging) -> list[dict[str, Any]]:
    """What the SSM agent in the task needs, as the task role, to log a session to CloudWatch
    Logs (ECS Exec docs, "Logging and auditing using ECS Exec"). DescribeLogGroups names no
    group: the agent lists groups to check that the one configured exists and is encrypted."""
    return [
        {
            "Sid": "EcsExecFindLogGroup",
            "Effect": "Allow",
            "Action": ["logs:DescribeLogGroups"],
            "Resource": "*",
        },
        {
            "Sid": "EcsExecSessionLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            "Resource": _streams_of(logging.log_group_arn),
        },
    ]


def _streams_of(log_group_arn: pulumi.Input[str]) -> pulumi.Input[str]:
    if isinstance(log_group_arn, str):
        return log_stream_arn(log_group_arn)
    # concat of one input is that input as an Output[str] (from_input cannot infer its type
    # from an Awaitable | Output)
    return pulumi.Output.concat(log_group_arn).apply(log_stream_arn)


def exec_log_key_policy(account_id: str, region: str, log_group_name: str) -> str:
    """The exec log key's policy: the account administers it through IAM (the key's default
    policy), and CloudWatch Logs may use it for this one log group only.
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"""
    group_arn = f"arn:aws:logs:{region}:{account_id}:log-group:{log_group_name}"
    return json.dumps(
        {
            "Version": POLICY_VERSION,
            "Statement": [
                {
                    "Sid": "AccountAdministersThroughIam",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "CloudWatchLogsEncryptsExecLogs",
                    "Effect": "Allow",
                    "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                    "Action": [
                        "kms:Encrypt*",
                        "kms:Decrypt*",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:Describe*",
                    ],
                    "Resource": "*",
                    "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": group_arn}},
                },
            ],
        }
    )


def task_role_statements(
    app_statements: Sequence[Mapping[str, Any]],
    enable_exec: bool,
    exec_logging: ExecSessionLogging | None = None,
) -> list[dict[str, Any]]:
    """The application's statements as given, then ECS Exec's four actions when it is on, and
    what logging its sessions takes when they are logged.

    Empty when there is nothing to allow: the task role then gets no inline policy.
    """
    statements = [dict(statement) for statement in app_statements]
    if enable_exec:
        statements.append(
            {
                "Sid": "EcsExec",
                "Effect": "Allow",
                "Action": list(ECS_EXEC_ACTIONS),
                # ssmmessages has no resource-level permissions.
                "Resource": "*",
            }
        )
        if exec_logging is not None:
            statements.extend(exec_logging_statements(exec_logging))
    return statements
