"""What the Fargate tasks' settings accept: their size, how many run, Fargate Spot, the logs'
retention."""

from __future__ import annotations

from stack.parsers import Earlier, NotAllowed, integer, integer_between, integer_in, one_of
from stack.parsers.choices import (
    DATABASE_EFS,
    DATABASE_RDS,
    FARGATE_CPU_MEMORY,
    FARGATE_SPOT_MIXED,
    FARGATE_SPOT_MODES,
    FARGATE_SPOT_OFF,
    LOG_RETENTION_DAYS,
    MAX_TASKS,
)

task_cpu = integer_in(tuple(FARGATE_CPU_MEMORY), " | ")


def task_memory(text: str, earlier: Earlier) -> int:
    cpu = earlier["taskCpu"]
    return integer_in(FARGATE_CPU_MEMORY[cpu], ", ", f"with taskCpu {cpu}: ")(text, earlier)


log_retention_days = integer_in(LOG_RETENTION_DAYS, ", ")


def min_tasks(text: str, earlier: Earlier) -> int:
    if earlier["database"] == DATABASE_EFS:
        allowed = f"1 with database: {DATABASE_EFS} (one writer on the file system)"
        value = integer(text, allowed)
        if value != 1:
            raise NotAllowed(value, allowed)
        return value
    return integer_between(1, MAX_TASKS, "tasks")(text, earlier)


def max_tasks(text: str, earlier: Earlier) -> int:
    low = earlier["minTasks"]
    high = 1 if earlier["database"] == DATABASE_EFS else MAX_TASKS
    allowed = (
        f"1 with database: {DATABASE_EFS} (one writer on the file system)"
        if high == 1
        else f"minTasks ({low}) to {MAX_TASKS}"
    )
    value = integer(text, allowed)
    if not low <= value <= high:
        raise NotAllowed(value, allowed)
    return value


def fargate_spot(text: str, earlier: Earlier) -> str:
    """``off`` or ``mixed`` (a bare YAML off arrives as ``false``). ``mixed`` only with
    ``database: rds``: with efs the one task holds the database, and Spot may stop it."""
    value = {"false": FARGATE_SPOT_OFF}.get(text.strip().lower(), text.strip())
    value = one_of(FARGATE_SPOT_MODES)(value, earlier)
    if value == FARGATE_SPOT_MIXED and earlier["database"] != DATABASE_RDS:
        raise NotAllowed(
            value,
            f"{FARGATE_SPOT_OFF} with database: {earlier['database']} (Spot may stop the one "
            f"task that holds the database; {FARGATE_SPOT_MIXED} needs database: {DATABASE_RDS})",
        )
    return value
