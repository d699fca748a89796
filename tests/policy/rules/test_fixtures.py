"""Every rule, service by service, has a resource set that passes and one that fails with a reason.

The fixtures live beside each service's tests (``<service>_fixtures.py``, rule id -> (passing,
failing)); the rest of each service's behaviour is specified in ``test_<service>.py``.
"""

import importlib

import pytest

from policy.rules import cloudwatch, ec2, ecr, ecs, efs, elb, iam, logs, project, s3

from .expect import assert_fails, assert_passes, rule_ids_of

SERVICES = {
    m.__name__.rsplit(".", 1)[-1]: m
    for m in (cloudwatch, ec2, ecr, ecs, efs, elb, iam, logs, project, s3)
}
FIXTURES = {
    service: importlib.import_module(f"tests.policy.rules.{service}_fixtures").FIXTURES
    for service in SERVICES
}
CASES = [
    (service, rule_id) for service, fixtures in FIXTURES.items() for rule_id in sorted(fixtures)
]


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_rule_of_a_service_has_a_passing_and_a_failing_fixture(service):
    assert sorted(FIXTURES[service]) == rule_ids_of(SERVICES[service])


@pytest.mark.parametrize(("service", "rule_id"), CASES)
def test_passing_fixture_passes(service, rule_id):
    assert_passes(rule_id, FIXTURES[service][rule_id][0])


@pytest.mark.parametrize(("service", "rule_id"), CASES)
def test_failing_fixture_fails_with_a_message(service, rule_id):
    assert_fails(rule_id, FIXTURES[service][rule_id][1])
