"""The FargateService's building blocks refuse what ECS or safety would refuse, saying what to
do."""

import pytest

from components.fargate.types import (
    MAX_HEALTH_START_PERIOD,
    ContainerSpec,
    EgressRule,
    HealthCheck,
    SecretKey,
)

SECRET_ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:app-key-AbCdEf"


def app(**kwargs) -> ContainerSpec:
    defaults = {"name": "app", "image": "repo/app@sha256:abc", "port": 8000}
    return ContainerSpec(**{**defaults, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"environment": {"DB_PASSWORD": "x"}}, r"DB_PASSWORD looks secret; move it"),
        ({"environment": {"DATABASE_URL": "postgres://"}}, r"DATABASE_URL looks secret"),
        ({"environment": {"K": "1"}, "secrets": {"K": SECRET_ARN}}, r"K is in both"),
        ({"stop_timeout": 300}, r"stop_timeout 300 is outside 2..120"),
        ({"depends_on": {"db": "READY"}}, r"use one of START, COMPLETE, SUCCESS, HEALTHY"),
        ({"name": "bad name"}, r"use letters, digits"),
        ({"user": "0:0"}, r"user '0:0' is root"),
        ({"user": "root"}, r"user 'root' is root"),
    ],
)
def test_bad_container_specs_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        app(**kwargs)


def test_a_container_spec_within_the_limits_is_accepted():
    spec = app(
        environment={"MODE": "prod"},
        secrets={"APP_KEY": SECRET_ARN},
        stop_timeout=120,
        depends_on={"db": "HEALTHY"},
        user="999:999",
    )
    assert (spec.stop_timeout, spec.user) == (120, "999:999")


@pytest.mark.parametrize("key", ["", "pass word", "a:b"])
def test_a_secret_key_is_a_plain_json_key(key):
    with pytest.raises(ValueError, match="give a JSON key of letters"):
        SecretKey(SECRET_ARN, key)


def test_health_check_must_be_ecs_form():
    with pytest.raises(ValueError, match=r"must start with 'CMD' or 'CMD-SHELL'"):
        HealthCheck(command=["pg_isready"])
    with pytest.raises(ValueError, match=r"must start with 'CMD' or 'CMD-SHELL'"):
        HealthCheck(command=[])


@pytest.mark.parametrize("start_period", [-1, 301])
def test_health_check_start_period_stays_within_what_ecs_accepts(start_period):
    with pytest.raises(ValueError, match=r"start_period is -?\d+; ECS accepts 0 to 300 seconds"):
        HealthCheck(command=["CMD", "true"], start_period=start_period)
    assert HealthCheck(command=["CMD", "true"], start_period=300).to_ecs()["startPeriod"] == 300
    assert MAX_HEALTH_START_PERIOD == 300


def test_health_check_in_ecs_form_with_its_defaults():
    assert HealthCheck(command=("CMD", "true")).to_ecs() == {
        "command": ["CMD", "true"],
        "interval": 10,
        "timeout": 5,
        "retries": 5,
        "startPeriod": 30,
    }


@pytest.mark.parametrize(
    "targets",
    [
        {},
        {"cidr": "0.0.0.0/0", "prefix_list_id": "pl-1"},
        {"security_group_id": "sg-1", "cidr": "x"},
    ],
)
def test_egress_rule_needs_exactly_one_destination(targets):
    with pytest.raises(ValueError, match=r"'HTTPS': give exactly one of cidr"):
        EgressRule(443, "HTTPS", **targets)


@pytest.mark.parametrize("target", ["cidr", "security_group_id", "prefix_list_id"])
def test_egress_rule_to_one_destination_is_accepted(target):
    rule = EgressRule(443, "HTTPS", **{target: "x"})
    assert getattr(rule, target) == "x"
