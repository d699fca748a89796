"""From a recorded program run to what the plan reports: rule inputs and cost inputs.

Everything is read from the resources the program declared (``offline``'s
``StackRecording``), never from a hand-kept list: add a secret to the stack and the Secrets
Manager line grows by itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from components.entrance.access_log_bucket import COMPONENT_TYPE as ACCESS_LOG_BUCKET_COMPONENT
from components.fargate.deployment import FARGATE_SPOT
from components.fargate.service import X86_64
from components.postgres.backup_bucket import COMPONENT_TYPE as BACKUP_BUCKET_COMPONENT
from policy import aws_types
from policy.aws_types import ELASTIC_IP, HOSTED_ZONE, ROUTE53_RECORD, SECRET
from policy.model import Resource
from policy.readers import as_list
from tools.plan.shape import (
    FargateService,
    InterfaceEndpoint,
    RdsInstance,
    ScheduledTask,
    StackShape,
)

WEB_ACL = "aws:wafv2/webAcl:WebAcl"
# A child's URN carries its parent's type: "<parent type>$<own type>".
BACKUP_BUCKET_URN_TYPE = f"{BACKUP_BUCKET_COMPONENT}$aws:s3/bucket:Bucket"
ACCESS_LOG_BUCKET_URN_TYPE = f"{ACCESS_LOG_BUCKET_COMPONENT}$aws:s3/bucket:Bucket"


class Recorded(Protocol):
    """The fields of ``offline.RecordedResource`` this module reads."""

    type: str
    name: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    parent: str | None
    urn: str
    custom: bool
    remote: bool


def rule_resources(recorded: Iterable[Recorded]) -> list[Resource]:
    """The resources as the policy engine sees them: inputs, plus the ids and ARNs AWS assigns.

    Component resources are left out (the engine's rules see only real resources); awsx's
    remote components stay in, because under the mocks they stand for the resources they hide.
    """
    return [
        Resource(
            type=r.type,
            name=r.name,
            props={**r.outputs, **r.inputs},
            urn=r.urn,
            parent=r.parent,
        )
        for r in recorded
        if r.custom or r.remote
    ]


def _endpoint_service(props: Mapping[str, Any]) -> str:
    return ".".join(str(props.get("serviceName", "")).split(".")[3:])


def _task_definition_of(service: Resource, task_definitions: Sequence[Resource]) -> Resource:
    reference = str(service.props.get("taskDefinition", ""))
    for task_definition in task_definitions:
        if reference in {
            str(task_definition.props.get("arn")),
            str(task_definition.props.get("id")),
            str(task_definition.props.get("family")),
        }:
            return task_definition
    raise LookupError(
        f"ECS service {service.name} runs task definition {reference!r}, "
        "which the program did not declare"
    )


def _architecture(task_definition: Resource) -> str:
    platform = task_definition.props.get("runtimePlatform") or {}
    return str(platform.get("cpuArchitecture") or X86_64)


def spot_tasks(tasks: int, strategies: Sequence[Mapping[str, Any]]) -> float:
    """How many of ``tasks`` a capacity provider strategy places on ``FARGATE_SPOT``: its base,
    then its weight's share of the tasks beyond every base (an expectation, so a fraction)."""
    bases = {str(s.get("capacityProvider")): int(s.get("base") or 0) for s in strategies}
    weights = {str(s.get("capacityProvider")): int(s.get("weight") or 0) for s in strategies}
    spot_base = min(bases.get(FARGATE_SPOT, 0), tasks)
    beyond = max(tasks - sum(bases.values()), 0)
    total = sum(weights.values())
    return spot_base + (beyond * weights.get(FARGATE_SPOT, 0) / total if total else 0.0)


def _fargate_services(resources: Sequence[Resource]) -> tuple[FargateService, ...]:
    task_definitions = [r for r in resources if r.type == aws_types.TASK_DEFINITION]
    services = []
    for service in (r for r in resources if r.type == aws_types.ECS_SERVICE):
        strategies = as_list(service.props.get("capacityProviderStrategies"))
        on_fargate = service.props.get("launchType") == "FARGATE" or any(
            str(s.get("capacityProvider", "")).startswith("FARGATE") for s in strategies
        )
        if not on_fargate:
            continue
        task_definition = _task_definition_of(service, task_definitions)
        tasks = int(service.props.get("desiredCount") or 0)
        services.append(
            FargateService(
                name=service.name,
                tasks=tasks,
                vcpu=int(task_definition.props["cpu"]) / 1024,
                memory_gb=int(task_definition.props["memory"]) / 1024,
                architecture=_architecture(task_definition),
                spot_tasks=spot_tasks(tasks, strategies),
            )
        )
    return tuple(services)


EVENT_RULE = "aws:cloudwatch/eventRule:EventRule"
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
_RATE_HOURS = {"minute": 1 / 60, "hour": 1.0, "day": 24.0}
_NAMES = {
    name: number
    for number, name in enumerate(
        ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "JAN", "FEB", "MAR", "APR", "MAY"), 1
    )
}


def _value(text: str) -> int:
    return int(text) if text.isdigit() else _NAMES[text.upper()]


def _field_count(field: str, wildcard: float) -> float:
    """How many values one cron field names: ``*`` every one, ``a,b`` two, ``a-b`` a range,
    ``x/n`` every n-th of ``wildcard`` values."""
    if field in {"*", "?"}:
        return wildcard
    if "/" in field:
        return wildcard / int(field.split("/", 1)[1])
    count = 0.0
    for part in field.split(","):
        if "-" in part:
            low, high = part.split("-", 1)
            count += _value(high) - _value(low) + 1
        else:
            count += 1
    return count


def runs_per_day(expression: str) -> float:
    """How often an EventBridge schedule expression fires in a day, on average (``rate(1 day)``,
    ``cron(30 3 * * ? *)``; day-of-month and day-of-week restrict the days,
    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html)."""
    inner = expression[expression.index("(") + 1 : -1].split()
    if expression.startswith("rate("):
        value, unit = int(inner[0]), inner[1].rstrip("s")
        return 24 / (value * _RATE_HOURS[unit])
    minutes, hours, day_of_month, _, day_of_week = inner[:5]
    per_day = _field_count(minutes, 60) * _field_count(hours, 24)
    if day_of_month not in {"*", "?"}:
        return per_day * _field_count(day_of_month, 31) / 30.4
    if day_of_week not in {"*", "?"}:
        return per_day * _field_count(day_of_week, 7) / 7
    return per_day


def _scheduled_tasks(resources: Sequence[Resource]) -> tuple[ScheduledTask, ...]:
    task_definitions = [r for r in resources if r.type == aws_types.TASK_DEFINITION]
    rules = {str(r.props.get("name")): r for r in resources if r.type == EVENT_RULE}
    found = []
    for target in (r for r in resources if r.type == EVENT_TARGET):
        ecs = target.props.get("ecsTarget")
        rule = rules.get(str(target.props.get("rule")))
        if not ecs or rule is None or not rule.props.get("scheduleExpression"):
            continue
        reference = str(ecs.get("taskDefinitionArn"))
        [task_definition] = [
            t
            for t in task_definitions
            if reference in {str(t.props.get("arn")), str(t.props.get("id"))}
        ]
        found.append(
            ScheduledTask(
                name=target.name,
                runs_per_day=runs_per_day(str(rule.props["scheduleExpression"]))
                * int(ecs.get("taskCount") or 1),
                vcpu=int(task_definition.props["cpu"]) / 1024,
                memory_gb=int(task_definition.props["memory"]) / 1024,
                architecture=_architecture(task_definition),
            )
        )
    return tuple(found)


def _rds_instances(resources: Sequence[Resource]) -> tuple[RdsInstance, ...]:
    return tuple(
        RdsInstance(
            name=r.name,
            instance_class=str(r.props.get("instanceClass")),
            storage_gb=int(r.props.get("allocatedStorage") or 0),
            multi_az=r.props.get("multiAz") is True,
        )
        for r in resources
        if r.type == aws_types.RDS_INSTANCE
    )


def stack_shape(resources: Sequence[Resource], region: str) -> StackShape:
    """Count what the cost model prices."""

    def of_type(*types: str) -> list[Resource]:
        return [r for r in resources if r.type in types]

    endpoints = of_type(aws_types.VPC_ENDPOINT)
    interface = tuple(
        sorted(
            (
                InterfaceEndpoint(
                    _endpoint_service(e.props), len(as_list(e.props.get("subnetIds")))
                )
                for e in endpoints
                if e.props.get("vpcEndpointType") == "Interface"
            ),
            key=lambda endpoint: endpoint.service,
        )
    )
    gateway = tuple(
        sorted(
            _endpoint_service(e.props)
            for e in endpoints
            if e.props.get("vpcEndpointType", "Gateway") == "Gateway"
        )
    )
    load_balancers = tuple(
        len(as_list(lb.props.get("subnets"))) or len(as_list(lb.props.get("subnetMappings")))
        for lb in of_type(*aws_types.LOAD_BALANCERS)
        if lb.props.get("internal") is not True
        and str(lb.props.get("loadBalancerType") or "application") == "application"
    )
    # A zone costs the same whether the stack creates it or writes records into an existing one.
    zones = {str(r.props.get("zoneId")) for r in of_type(ROUTE53_RECORD) if r.props.get("zoneId")}
    zones |= {r.urn for r in of_type(HOSTED_ZONE)}
    return StackShape(
        region=region,
        interface_endpoints=interface,
        gateway_endpoints=gateway,
        nat_gateways=len(of_type(aws_types.NAT_GATEWAY)),
        elastic_ips=len(of_type(ELASTIC_IP)),
        load_balancer_azs=load_balancers,
        fargate_services=_fargate_services(resources),
        scheduled_tasks=_scheduled_tasks(resources),
        efs_file_systems=len(of_type(aws_types.EFS_FILE_SYSTEM)),
        efs_elastic_file_systems=len(
            [
                f
                for f in of_type(aws_types.EFS_FILE_SYSTEM)
                if f.props.get("throughputMode") == "elastic"
            ]
        ),
        backup_buckets=len(
            [b for b in of_type(*aws_types.BUCKETS) if f"::{BACKUP_BUCKET_URN_TYPE}::" in b.urn]
        ),
        secrets=len(of_type(SECRET)),
        hosted_zones=len(zones),
        log_groups=len(of_type(aws_types.LOG_GROUP)),
        alarms=len(of_type(aws_types.METRIC_ALARM)),
        dashboards=len(of_type(aws_types.DASHBOARD)),
        flow_logs=len(
            [
                f
                for f in of_type(aws_types.FLOW_LOG)
                if f.props.get("logDestinationType", "cloud-watch-logs") == "cloud-watch-logs"
            ]
        ),
        access_log_buckets=len(
            [b for b in of_type(*aws_types.BUCKETS) if f"::{ACCESS_LOG_BUCKET_URN_TYPE}::" in b.urn]
        ),
        kms_keys=len(of_type(aws_types.KMS_KEY)),
        waf_web_acl_rules=tuple(len(as_list(acl.props.get("rules"))) for acl in of_type(WEB_ACL)),
        rds_instances=_rds_instances(resources),
    )
