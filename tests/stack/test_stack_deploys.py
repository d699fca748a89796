"""How each shape of the stack deploys, and what a deploy costs the site in downtime.

efs (Pulumi.prod.yaml): one task that holds the database, replaced stop-then-start
(minimumHealthyPercent 0, maximumPercent 100), so the site is down from the old task's stop to
the new task's first passing check. rds (Pulumi.scale.yaml): stateless tasks, replaced
start-then-stop (100/200), so the target group always holds healthy tasks: no downtime. Either
way a stopped task drains first: the target group's deregistration delay, then gunicorn's
graceful timeout inside the web container's stopTimeout (stack/containers.py).
"""

from __future__ import annotations

import pytest

import stack.containers as service
from tests.stack_runs import SERVICE, containers, run_main, stack_config
from tools.offline import StackRecording

TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"


@pytest.fixture(scope="module")
def scale() -> StackRecording:
    return run_main(stack_config("scale"))


def deployment(recording: StackRecording) -> tuple[int, int, int]:
    inputs = recording.one(SERVICE).inputs
    return (
        inputs["desiredCount"],
        inputs["deploymentMinimumHealthyPercent"],
        inputs["deploymentMaximumPercent"],
    )


def test_efs_stops_the_one_task_before_starting_the_next(prod):
    # Downtime: the old task drains and stops before the new one starts (docs/operations.md).
    assert deployment(prod) == (1, 0, 100)


def test_rds_starts_new_tasks_before_stopping_old_ones(scale):
    desired, minimum_healthy, maximum = deployment(scale)
    assert (minimum_healthy, maximum) == (100, 200)
    assert desired >= 2  # and one per AZ: a task failure is not an outage either


@pytest.mark.parametrize("shape", ["prod", "scale"])
def test_a_stopped_task_drains_for_the_derived_delay_then_stops_gracefully(shape, prod, scale):
    recording = {"prod": prod, "scale": scale}[shape]
    group = recording.one(TARGET_GROUP).inputs
    assert group["deregistrationDelay"] == service.DEREGISTRATION_DELAY
    assert containers(recording)["web"]["stopTimeout"] == service.WEB_STOP_TIMEOUT
    grace = recording.one(SERVICE).inputs["healthCheckGracePeriodSeconds"]
    assert grace >= service.WEB_START_PERIOD
