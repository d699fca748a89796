"""How a Fargate task's memory is split between its containers: each container gets a hard
limit (``memory``) and a soft one (``memoryReservation``), and the hard limits add up to no more
than the task's memory.

Without container limits every container may take the whole task: one container's spike (a
web worker decoding an upload) then ends in the task's OOM kill, which stops every essential
container, Postgres included. With each hard limit inside the task, a container that passes its
own is killed alone, and no container can take the memory another was given.

ECS: "If your container attempts to exceed the memory specified here, the container is
killed. The total amount of memory reserved for all containers within a task must be lower than
the task memory value" and "memory must be greater than memoryReservation".
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
On Fargate both are optional; "the resource limits must be greater than or equal to any
reservations that you declared".
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-size-best-practice.html
"""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class MemoryNeed:
    """What one container asks of the task's memory, MiB."""

    reservation: int
    """What it needs to run: its ``memoryReservation``."""
    limit: int | None = None
    """A fixed hard limit, for a small container whose use does not grow with the task; None:
    a share of what the fixed containers leave."""
    share: int = 0
    """Its weight among the containers without a fixed limit."""

    def __post_init__(self) -> None:
        if self.reservation < MIN_RESERVATION:
            raise ValueError(
                f"MemoryNeed.reservation {self.reservation} MiB: give at least "
                f"{MIN_RESERVATION} MiB (Docker keeps 6 MiB of every container)"
            )
        if self.limit is None and self.share < 1:
            raise ValueError("MemoryNeed without a limit needs a share of 1 or more")
        if self.limit is not None and self.limit <= self.reservation:
            raise ValueError(
                f"MemoryNeed.limit {self.limit} MiB must be above its reservation "
                f"{self.reservation} MiB"
            )


@dataclass(frozen=True)
class ContainerMemory:
    """One container's ``memory`` (hard) and ``memoryReservation`` (soft), MiB."""

    limit: int
    reservation: int

    def to_ecs(self) -> dict[str, int]:
        return {"memory": self.limit, "memoryReservation": self.reservation}


# Docker keeps a minimum of 6 MiB for a container (the API reference above).
MIN_RESERVATION = 6
# What a container that says nothing gets: a small helper (an init step, an agent).
SMALL_CONTAINER = MemoryNeed(reservation=32, limit=128)


def memory_split(task_memory: int, needs: Mapping[str, MemoryNeed]) -> dict[str, ContainerMemory]:
    """Each container's limits within ``task_memory`` MiB: fixed limits as given, the rest
    divided by share (rounded down), every limit above its container's reservation.

    Raises ValueError naming the smallest task memory that fits when this one does not.
    """
    fixed = sum(need.limit for need in needs.values() if need.limit is not None)
    shared = {name: need for name, need in needs.items() if need.limit is None}
    left = task_memory - fixed
    shares = sum(need.share for need in shared.values())
    split = {
        name: ContainerMemory(
            limit=need.limit if need.limit is not None else left * need.share // shares,
            reservation=need.reservation,
        )
        for name, need in needs.items()
    }
    short = [name for name, memory in split.items() if memory.limit <= memory.reservation]
    if fixed > task_memory or short or sum(m.limit for m in split.values()) > task_memory:
        needed = smallest_task_memory(needs)
        raise ValueError(
            f"taskMemory {task_memory} MiB is too small for the containers "
            f"{', '.join(needs)}: {describe(needs)}; set taskMemory to at least {needed} MiB "
            "(a size Fargate offers with taskCpu)"
        )
    return split


def smallest_task_memory(needs: Mapping[str, MemoryNeed]) -> int:
    """The least task memory, MiB, in which every container's limit is above its reservation."""
    fixed = sum(need.limit for need in needs.values() if need.limit is not None)
    shared = [need for need in needs.values() if need.limit is None]
    shares = sum(need.share for need in shared)
    # limit = left * share // shares > reservation  <=>  left >= (reservation + 1) * shares / share
    left = max(
        (-(-(need.reservation + 1) * shares // need.share) for need in shared),
        default=0,
    )
    return fixed + left


def describe(needs: Mapping[str, MemoryNeed]) -> str:
    return ", ".join(
        f"{name} {need.limit} MiB"
        if need.limit is not None
        else f"{name} over {need.reservation} MiB ({need.share} shares)"
        for name, need in needs.items()
    )
