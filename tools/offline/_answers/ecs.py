"""ECS and CloudWatch Logs: clusters, task definitions, services and their log groups."""

from tools.offline._answers._common import Account, ResourceAnswer, named_arn, physical_name


def _task_definition(account: Account, name: str, inputs: dict, short: str) -> dict:
    family = inputs.get("family") or name
    arn = f"arn:aws:ecs:{account.region}:{account.account_id}:task-definition/{family}:1"
    return {"id": arn, "arn": arn, "revision": 1, "arnWithoutRevision": arn.rsplit(":", 1)[0]}


def _service(account: Account, name: str, inputs: dict, short: str) -> dict:
    service_name = physical_name(name, inputs, short)
    arn = f"arn:aws:ecs:{account.region}:{account.account_id}:service/{service_name}"
    return {"id": arn, "arn": arn, "name": service_name}


RESOURCES: dict[str, ResourceAnswer] = {
    "aws:ecs/cluster:Cluster": named_arn("ecs", "cluster/"),
    "aws:ecs/taskDefinition:TaskDefinition": _task_definition,
    "aws:ecs/service:Service": _service,
    "aws:cloudwatch/logGroup:LogGroup": named_arn("logs", "log-group:"),
}
