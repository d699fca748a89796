"""Where a FargateService's ECS Exec sessions are logged, declared under the task.

A KMS key of the stack's own, a CloudWatch Logs group it encrypts, and the cluster
configuration that sends every session there (logging ``OVERRIDE``). CloudWatch Logs encrypts
server side, so the task needs neither KMS permissions nor a KMS endpoint. The session's data
channel is not given the key (``kms_key_id``): the SSM agent in the task would then call KMS
itself, which a task without NAT reaches only through one more interface endpoint (billed per
AZ-hour); the channel is TLS already. The statements come from :mod:`components.fargate.roles`.
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
"""

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.fargate.roles import ExecSessionLogging, exec_log_group_name, exec_log_key_policy

# The longest AWS KMS waits before deleting a key: time to notice a key deleted by mistake.
KEY_DELETION_WINDOW_DAYS = 30


@dataclass(frozen=True)
class ExecLogging:
    log_group_name: pulumi.Output[str]
    permissions: ExecSessionLogging
    """What the task role needs (``task_role_statements``' ``exec_logging``)."""
    cluster_configuration: aws.ecs.ClusterConfigurationArgs


def declare_exec_session_logging(
    task_name: str, parent: pulumi.Resource, region: str, retention_days: int
) -> ExecLogging:
    """Declare ``{task_name}-exec-key`` and ``{task_name}-exec-logs`` under ``parent``."""
    child = pulumi.ResourceOptions(parent=parent)
    account_id = aws.get_caller_identity(opts=pulumi.InvokeOptions(parent=parent)).account_id
    group_name = exec_log_group_name(task_name)
    key = aws.kms.Key(
        f"{task_name}-exec-key",
        description=f"Encrypts the ECS Exec session log group of {task_name}",
        enable_key_rotation=True,
        deletion_window_in_days=KEY_DELETION_WINDOW_DAYS,
        policy=exec_log_key_policy(account_id, region, group_name),
        # The deploy role uses only keys carrying the stack's Name tags.
        tags={"Name": f"{task_name}-exec-key"},
        opts=child,
    )
    group = aws.cloudwatch.LogGroup(
        f"{task_name}-exec-logs",
        name=group_name,
        retention_in_days=retention_days,
        kms_key_id=key.arn,
        opts=child,
    )
    configuration = aws.ecs.ClusterConfigurationArgs(
        execute_command_configuration=aws.ecs.ClusterConfigurationExecuteCommandConfigurationArgs(
            logging="OVERRIDE",
            log_configuration=aws.ecs.ClusterConfigurationExecuteCommandConfigurationLogConfigurationArgs(
                cloud_watch_log_group_name=group.name,
                # The agent refuses to log to a group that is not encrypted: this one is.
                cloud_watch_encryption_enabled=True,
            ),
        )
    )
    return ExecLogging(
        log_group_name=group.name,
        permissions=ExecSessionLogging(log_group_arn=group.arn),
        cluster_configuration=configuration,
    )
