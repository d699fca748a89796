"""A passing and a failing stack for each of this project's own cross-service rules."""

from __future__ import annotations

from policy.model import Resource

from ..builders import ALL_ENDPOINTS, MOUNT_TARGETS, STATEFUL_TASK, service

FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    "DJTW.SINGLE-WRITER": (
        [STATEFUL_TASK, service()],
        [STATEFUL_TASK, service(deploymentMaximumPercent=200, deploymentMinimumHealthyPercent=100)],
    ),
    "DJTW.PRIVATE-REACH": (
        [STATEFUL_TASK, service(), *ALL_ENDPOINTS, *MOUNT_TARGETS],
        [
            STATEFUL_TASK,
            service(),
            *[e for e in ALL_ENDPOINTS if e.name != "endpoint-logs"],
            *MOUNT_TARGETS,
        ],
    ),
}
