"""FargateService: one Fargate task of several containers that share localhost, and its service.

Containers of one awsvpc task share a network namespace, so they talk over ``localhost``
(``127.0.0.1``), never by container name. Everything a container needs is a typed
:class:`ContainerSpec` (``components.fargate.types``); the whole task is a
:class:`FargateServiceArgs` (``service_args``). Pure functions beside this file compute the
container definitions and volumes (``containers``), the roles' statements (``roles``), how the
service deploys (``deployment``) and the task definition's and service's inputs
(``service_parts``, which also declares the groups of resources around them); the component
declares the cluster, one log group per container, the two IAM roles, the task definition, the
security group and the service from their results.
"""

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components.fargate.containers import container_definitions
from components.fargate.deployment import (
    STEADY_STATE_TIMEOUTS,
    DeploymentLimits,
    declare_spot_capacity,
    deployment_limits,
)
from components.fargate.service_args import ARM64 as ARM64
from components.fargate.service_args import CPU_ARCHITECTURES as CPU_ARCHITECTURES
from components.fargate.service_args import X86_64 as X86_64
from components.fargate.service_args import FargateServiceArgs as FargateServiceArgs
from components.fargate.service_parts import (
    declare_cluster,
    declare_log_groups,
    declare_rollback_alarms,
    declare_task_group,
    declare_task_roles,
    service_inputs,
    task_definition_inputs,
)

COMPONENT_TYPE = "django-tw:fargate:FargateService"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = ("django-tw:compute:SidecarTask", "django-tw:sidecar_task:SidecarTask")


class FargateService(pulumi.ComponentResource):
    """Cluster, task definition, roles, log groups, security group and service for one task."""

    cluster_name: pulumi.Output[str]
    """The ECS cluster running the service."""
    cluster_arn: pulumi.Output[str]
    """The ECS cluster's ARN."""
    service_name: pulumi.Output[str]
    """The ECS service's name."""
    task_definition_arn: pulumi.Output[str]
    """The task definition's ARN (its revision included)."""
    security_group_id: pulumi.Output[str]
    """The task's security group."""
    log_group_names: dict[str, pulumi.Output[str]]
    """Container name -> its CloudWatch log group."""
    task_role_arn: pulumi.Output[str]
    """The role the containers' code runs as."""
    execution_role_arn: pulumi.Output[str]
    """The role ECS pulls images and reads secrets with."""
    deployment: DeploymentLimits
    """How the service deploys: its task count and the percent bounds."""
    deployment_alarm_names: list[pulumi.Output[str]]
    """CloudWatch alarms that roll a failing deployment back."""
    exec_log_group_name: pulumi.Output[str] | None
    """Where ECS Exec sessions are logged (None: ECS Exec off)."""

    def __init__(
        self, name: str, args: FargateServiceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        self._args = args
        self.deployment = deployment_limits(args.stateful, args.desired_count)

        cluster, exec_logging = declare_cluster(name, self, args)
        self.exec_log_group_name = exec_logging.log_group_name if exec_logging else None

        log_groups = declare_log_groups(name, args, child)
        roles = declare_task_roles(name, self, args, log_groups, exec_logging)
        # What the first task needs from inside this component that the service's inputs do
        # not already wait for: its roles' permissions and its group's rules.
        first_task_needs: list[pulumi.Resource] = []
        if args.fargate_spot:  # the strategy names providers the cluster must have first
            first_task_needs.append(declare_spot_capacity(name, cluster.name, child))
        first_task_needs.extend(roles.policies)

        definitions = container_definitions(
            args.containers,
            {container: group.name for container, group in log_groups.items()},
            args.region,
            task_memory=args.memory,
        )
        task_definition = aws.ecs.TaskDefinition(
            f"{name}-taskdef",
            **task_definition_inputs(
                name,
                args,
                container_definitions=pulumi.Output.json_dumps(definitions),
                execution_role_arn=roles.execution_role.arn,
                task_role_arn=roles.task_role.arn,
            ),
            opts=child,
        )
        task_group, rules = declare_task_group(name, args, child)
        first_task_needs.extend(rules)
        alarm_names = declare_rollback_alarms(name, args, child)

        service = aws.ecs.Service(
            f"{name}-service",
            **service_inputs(
                args,
                self.deployment,
                cluster_arn=cluster.arn,
                task_definition_arn=task_definition.arn,
                security_group_id=task_group.id,
                alarm_names=alarm_names,
            ),
            # A component in depends_on stands for the children it has declared by then
            # (pulumi/runtime/rpc.py `_add_dependency`, pulumi/pulumi#7732): the components
            # given here declare theirs in their constructors, none inside an apply.
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[*first_task_needs, *args.ready_after],
                custom_timeouts=STEADY_STATE_TIMEOUTS,
                ignore_changes=["desiredCount"] if args.autoscaled else None,
            ),
        )

        self.cluster_name = cluster.name
        self.cluster_arn = cluster.arn
        self.service_name = service.name
        self.task_definition_arn = task_definition.arn
        self.deployment_alarm_names = alarm_names
        self.security_group_id = task_group.id
        self.log_group_names = {container: group.name for container, group in log_groups.items()}
        self.task_role_arn = roles.task_role.arn
        self.execution_role_arn = roles.execution_role.arn
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "service_name": self.service_name,
                "task_definition_arn": self.task_definition_arn,
                "security_group_id": self.security_group_id,
                "log_group_names": self.log_group_names,
                "task_role_arn": self.task_role_arn,
                "execution_role_arn": self.execution_role_arn,
                "exec_log_group_name": self.exec_log_group_name,
            }
        )

    @property
    def required_endpoints(self) -> frozenset[str]:
        """AWS services the task reaches from its private subnets."""
        return self._args.required_endpoints
