"""FargateService's ECS service: how it deploys (limits, circuit breaker, a rollback alarm, steady
state), what it waits for, and where its tasks launch (Fargate, or Spot beside it)."""

import pulumi
import pulumi_aws as aws
import pytest

from components.fargate.deployment import deployment_limits
from components.fargate.service import FargateService, FargateServiceArgs
from components.fargate.types import LoadBalancerTarget
from tests.components.fargate.service_builds import SECRET_ARN, app, build
from tests.stack_runs import EGRESS_RULE, INGRESS_RULE, ROLE_POLICY, SERVICE, run_component

CAPACITY_PROVIDERS = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
TG_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web/0123"
LB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/web/4567"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


@pytest.mark.parametrize(("stateful", "desired_count"), [(True, 3), (False, 2)])
def test_service_deploys_within_the_limits_the_containers_allow(stateful, desired_count):
    recording = build([app(stateful=stateful)], desired_count=desired_count)
    service = recording.one(SERVICE).inputs
    limits = deployment_limits(stateful, desired_count)
    assert service["desiredCount"] == limits.desired_count
    assert service["deploymentMinimumHealthyPercent"] == limits.minimum_healthy_percent
    assert service["deploymentMaximumPercent"] == limits.maximum_percent


def test_service_runs_privately_with_exec_circuit_breaker_and_grace_period():
    target = LoadBalancerTarget("arn:tg", "app", 8000, "sg-alb")
    recording = build([app()], load_balancer=target, health_check_grace_seconds=90)
    service = recording.one(SERVICE).inputs
    assert service["networkConfiguration"]["assignPublicIp"] is False
    assert service["networkConfiguration"]["subnets"] == ["subnet-a", "subnet-c"]
    assert service["enableExecuteCommand"] is True
    assert service["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert service["healthCheckGracePeriodSeconds"] == 90
    assert service["loadBalancers"] == [
        {"targetGroupArn": "arn:tg", "containerName": "app", "containerPort": 8000}
    ]
    (rule,) = recording.of_type(INGRESS_RULE)
    assert rule.inputs["referencedSecurityGroupId"] == "sg-alb"
    assert rule.inputs["fromPort"] == rule.inputs["toPort"] == 8000


class _Prerequisite(pulumi.ComponentResource):
    """Stands for a component the task needs, e.g. a file system with its mount targets."""

    def __init__(self, name: str) -> None:
        super().__init__("test:index:Prerequisite", name)
        self.mount = aws.efs.MountTarget(
            f"{name}-mount",
            file_system_id="fs-1",
            subnet_id="subnet-a",
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({})


def test_service_waits_for_its_roles_permissions_its_rules_and_what_it_is_ready_after():
    def program() -> None:
        secret_value = aws.secretsmanager.SecretVersion(
            "app-key-version", secret_id="app-key", secret_string="s3cret"
        )
        FargateService(
            "svc",
            FargateServiceArgs(
                vpc_id="vpc-1",
                subnet_ids=["subnet-a"],
                region="ap-northeast-1",
                containers=[app(secrets={"APP_KEY": SECRET_ARN})],
                task_role_statements=[
                    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}
                ],
                load_balancer=LoadBalancerTarget("arn:tg", "app", 8000, "sg-alb"),
                ready_after=[secret_value, _Prerequisite("data")],
            ),
        )

    recording = run_component(program)
    waits_for = set(recording.one(SERVICE).dependencies)
    needed = [
        *recording.of_type(ROLE_POLICY),
        *recording.of_type(INGRESS_RULE),
        *recording.of_type(EGRESS_RULE),
        recording.one("aws:secretsmanager/secretVersion:SecretVersion"),
        recording.one("aws:efs/mountTarget:MountTarget"),  # through its component
    ]
    assert len(recording.of_type(ROLE_POLICY)) == 2
    assert recording.of_type(EGRESS_RULE)
    missing = [resource.name for resource in needed if resource.urn not in waits_for]
    assert missing == []


def test_without_spot_the_service_launches_on_fargate_and_the_cluster_keeps_its_providers():
    recording = build([app()])
    service = recording.one(SERVICE).inputs
    assert service["launchType"] == "FARGATE"
    assert "capacityProviderStrategies" not in service
    assert recording.of_type(CAPACITY_PROVIDERS) == []


def test_with_spot_the_cluster_offers_both_providers_before_the_service_names_them():
    recording = build([app()], desired_count=3, fargate_spot=True)
    association = recording.one(CAPACITY_PROVIDERS)
    cluster = recording.one("aws:ecs/cluster:Cluster")
    assert association.inputs["clusterName"] == cluster.outputs["name"]
    assert sorted(association.inputs["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]
    service = recording.one(SERVICE)
    assert "launchType" not in service.inputs  # ECS takes a launch type or a strategy
    assert service.inputs["capacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "weight": 1},
    ]
    assert association.urn in service.dependencies


@pytest.mark.parametrize("fargate_spot", [False, True])
def test_a_stateless_service_may_turn_spot_on_or_off_in_place(fargate_spot):
    # Both switches change the strategy, which the provider plans only with the flag set in
    # the configuration that makes the change.
    service = build([app()], desired_count=2, fargate_spot=fargate_spot).one(SERVICE)
    assert service.inputs["forceNewDeployment"] is True


def test_a_stateful_service_is_not_forced_into_new_deployments():
    service = build([app(stateful=True)]).one(SERVICE)
    assert service.inputs.get("forceNewDeployment", False) is False


@pytest.fixture
def timeouts_sent(monkeypatch) -> dict[str, dict[str, str]]:
    """Resource name -> the custom timeouts its registration carries."""
    sent: dict[str, dict[str, str]] = {}
    set_mocks = pulumi.runtime.set_mocks

    def set_mocks_noting_timeouts(mocks, *args, monitor, **kwargs):
        register = monitor.RegisterResource

        def register_noting_timeouts(request):
            timeouts = request.customTimeouts
            sent[request.name] = {
                "create": timeouts.create,
                "update": timeouts.update,
                "delete": timeouts.delete,
            }
            return register(request)

        monitor.RegisterResource = register_noting_timeouts
        return set_mocks(mocks, *args, monitor=monitor, **kwargs)

    monkeypatch.setattr(pulumi.runtime, "set_mocks", set_mocks_noting_timeouts)
    return sent


def test_pulumi_up_waits_for_steady_state_and_gives_up_after_bounded_minutes(timeouts_sent):
    recording = build([app()])
    assert recording.one(SERVICE).inputs["waitForSteadyState"] is True
    assert timeouts_sent["svc-service"] == {"create": "30m", "update": "20m", "delete": "20m"}


def test_a_deployment_alarm_exists_before_the_service_that_rolls_back_on_it():
    target = LoadBalancerTarget(TG_ARN, "app", 8000, "sg-alb", load_balancer_arn=LB_ARN)
    recording = build([app()], load_balancer=target)
    alarm = recording.one(ALARM)
    service = recording.one(SERVICE)
    assert service.inputs["alarms"] == {
        "alarmNames": ["svc-deploy-target-5xx"],
        "enable": True,
        "rollback": True,
    }
    assert service.inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert alarm.urn in service.dependencies  # created first, so ECS can read it
    assert service.urn not in alarm.dependencies  # and it never waits for the service
    assert alarm.inputs["dimensions"] == {
        "LoadBalancer": "app/web/4567",
        "TargetGroup": "targetgroup/web/0123",
    }
    assert alarm.inputs["metricName"] == "HTTPCode_Target_5XX_Count"


def test_without_a_load_balancer_arn_there_is_no_deployment_alarm():
    recording = build([app()], load_balancer=LoadBalancerTarget(TG_ARN, "app", 8000, "sg-alb"))
    assert recording.of_type(ALARM) == []
    assert recording.one(SERVICE).inputs.get("alarms") is None


# --- ECS Exec session logging ---------------------------------------------------------------
