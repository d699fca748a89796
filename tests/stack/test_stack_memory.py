"""Every stack gives each container of its task a hard and a soft memory limit, and the hard
limits fit in the task: web cannot take the memory of the database beside it
(components/fargate/memory.py)."""

from __future__ import annotations

import pytest

from tests.stack_runs import containers, run_main, service_task_definition, stack_config


@pytest.fixture(scope="module")
def dev():
    return run_main(stack_config("dev"))


@pytest.mark.parametrize("stack", ["dev", "prod", "scale"])
def test_each_container_has_its_own_hard_and_soft_limit_within_the_task(request, stack):
    recording = request.getfixturevalue(stack)
    task_memory = int(service_task_definition(recording).inputs["memory"])
    by_name = containers(recording)
    for name, container in by_name.items():
        assert container["memory"] > container["memoryReservation"] > 0, name
    assert sum(container["memory"] for container in by_name.values()) <= task_memory


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_web_and_the_database_in_the_task_get_equal_parts(request, stack):
    by_name = containers(request.getfixturevalue(stack))
    assert set(by_name) >= {"web", "db"}
    assert by_name["web"]["memory"] == by_name["db"]["memory"]


def test_with_a_managed_database_web_has_what_the_small_containers_leave(scale):
    task_memory = int(service_task_definition(scale).inputs["memory"])
    by_name = containers(scale)
    others = sum(container["memory"] for name, container in by_name.items() if name != "web")
    assert by_name["web"]["memory"] == task_memory - others
