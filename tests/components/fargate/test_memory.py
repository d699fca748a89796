"""How a task's memory is split between its containers (components.fargate.memory): every
container gets a hard limit above its reservation, the hard limits fit in the task, and a task
too small for its containers is refused with the size that fits."""

import pytest

from components.fargate.memory import (
    SMALL_CONTAINER,
    ContainerMemory,
    MemoryNeed,
    memory_split,
    smallest_task_memory,
)
from components.postgres.task_parts import DB_MEMORY
from stack.containers import NGINX_MEMORY, WEB_MEMORY

IN_TASK_DATABASE = {"nginx": NGINX_MEMORY, "web": WEB_MEMORY, "db": DB_MEMORY}
MANAGED_DATABASE = {"nginx": NGINX_MEMORY, "web": WEB_MEMORY}


@pytest.mark.parametrize("task_memory", [512, 1024, 2048, 3072, 4096, 8192, 30720])
@pytest.mark.parametrize("needs", [IN_TASK_DATABASE, MANAGED_DATABASE], ids=["efs", "rds"])
def test_the_hard_limits_fit_in_the_task_and_each_is_above_its_reservation(task_memory, needs):
    split = memory_split(task_memory, needs)
    assert set(split) == set(needs)
    assert sum(memory.limit for memory in split.values()) <= task_memory
    for name, memory in split.items():
        assert memory.limit > memory.reservation == needs[name].reservation, name


def test_web_and_the_database_share_what_nginx_leaves_equally():
    split = memory_split(512, IN_TASK_DATABASE)
    assert split["nginx"] == ContainerMemory(limit=NGINX_MEMORY.limit, reservation=32)
    assert split["web"].limit == split["db"].limit == (512 - NGINX_MEMORY.limit) // 2


def test_web_has_all_that_nginx_leaves_with_a_managed_database():
    assert memory_split(1024, MANAGED_DATABASE)["web"].limit == 1024 - NGINX_MEMORY.limit


def test_more_task_memory_gives_the_database_more_and_web_no_more_than_its_share():
    small, large = memory_split(1024, IN_TASK_DATABASE), memory_split(4096, IN_TASK_DATABASE)
    assert large["db"].limit > small["db"].limit
    assert large["web"].limit <= 4096 - large["db"].limit - large["nginx"].limit


def test_an_extra_container_that_says_nothing_gets_a_small_fixed_part():
    needs = {**IN_TASK_DATABASE, "db-init": SMALL_CONTAINER}
    split = memory_split(1024, needs)
    assert split["db-init"] == ContainerMemory(
        limit=SMALL_CONTAINER.limit, reservation=SMALL_CONTAINER.reservation
    )
    assert split["web"].limit == split["db"].limit == (1024 - 64 - SMALL_CONTAINER.limit) // 2
    assert sum(memory.limit for memory in split.values()) <= 1024


def test_shares_divide_the_rest_by_weight():
    needs = {"a": MemoryNeed(32, share=3), "b": MemoryNeed(32, share=1)}
    assert memory_split(400, needs) == {
        "a": ContainerMemory(limit=300, reservation=32),
        "b": ContainerMemory(limit=100, reservation=32),
    }


def test_a_task_too_small_for_its_containers_is_refused_with_the_size_that_fits():
    needed = smallest_task_memory(IN_TASK_DATABASE)
    assert needed < 512  # dev's task fits
    memory_split(needed, IN_TASK_DATABASE)
    with pytest.raises(ValueError, match=f"taskMemory {needed - 1} MiB is too small") as refused:
        memory_split(needed - 1, IN_TASK_DATABASE)
    assert f"set taskMemory to at least {needed} MiB" in str(refused.value)
    assert "nginx 64 MiB, web over 160 MiB (1 shares), db over 160 MiB" in str(refused.value)


def test_fixed_limits_above_the_task_are_refused():
    with pytest.raises(ValueError, match="set taskMemory to at least 256 MiB"):
        memory_split(128, {"a": MemoryNeed(32, limit=128), "b": MemoryNeed(32, limit=128)})


@pytest.mark.parametrize(
    ("need", "message"),
    [
        (lambda: MemoryNeed(4, limit=64), "give at least 6 MiB"),
        (lambda: MemoryNeed(64, limit=64), "must be above its reservation"),
        (lambda: MemoryNeed(64), "needs a share of 1 or more"),
    ],
)
def test_a_need_that_ecs_would_refuse_is_refused(need, message):
    with pytest.raises(ValueError, match=message):
        need()
