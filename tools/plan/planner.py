"""Build the plan of a stack: run its program offline, then count, price and check it.

The program is ``__main__.py`` run under ``offline.run_program`` (the recording
mocks the tests use) with the stack file's settings; alternatives are the same program run
again with one setting changed, so every figure comes from resources the program declares.
"""

from __future__ import annotations

import runpy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from components.fargate.service import ARM64, X86_64
from components.postgres.efs import BURSTING_THROUGHPUT, ELASTIC_THROUGHPUT
from policy.evaluator import evaluate, pack_config_file, stack_rules
from policy.model import Resource, RuleResult
from policy.reach import Reach, services_reached
from stack.paths import REPO_ROOT
from stack.settings import (
    DATABASE_EFS,
    DATABASE_RDS,
    EGRESS_ENDPOINTS,
    EGRESS_NAT_PER_AZ,
    EGRESS_NAT_SINGLE,
    WAF_OFF,
    WAF_ON,
    StackSettings,
)
from stack.settings import FARGATE_SPOT_MIXED as SPOT_MIXED
from stack.settings import FARGATE_SPOT_OFF as SPOT_OFF
from tools.plan.cost import estimate
from tools.plan.cost_lines import CostEstimate
from tools.plan.derive import rule_resources, stack_shape
from tools.plan.prices import PRICE_FILE, Prices, load_prices
from tools.plan.shape import StackShape, Usage


@dataclass(frozen=True)
class Choice:
    """An alternative the settings allow: a label, the settings it changes, what else it means."""

    label: str
    overrides: Mapping[str, str]
    trade_off: str = ""


# Egress first (the endpoint-versus-NAT question), then the CPU architecture, then EFS.
CHOICES: tuple[Choice, ...] = (
    Choice(
        "interface endpoints in every AZ",
        {"egress": EGRESS_ENDPOINTS, "endpointAzCount": "0"},
        "no internet path from the private subnets; AWS calls stay in the AZ",
    ),
    Choice(
        "interface endpoints in one AZ",
        {"egress": EGRESS_ENDPOINTS, "endpointAzCount": "1"},
        "if that AZ fails, tasks elsewhere lose ECR, logs and secrets; "
        "cross-AZ traffic ($0.01/GB each way) not priced",
    ),
    Choice(
        "one NAT gateway instead of endpoints",
        {"egress": EGRESS_NAT_SINGLE},
        "tasks can reach the whole internet; if the NAT's AZ fails, so does egress",
    ),
    Choice(
        "a NAT gateway per AZ instead of endpoints",
        {"egress": EGRESS_NAT_PER_AZ},
        "tasks can reach the whole internet",
    ),
    Choice(
        f"x86 tasks ({X86_64})",
        {"cpuArchitecture": X86_64},
        "images built for linux/amd64",
    ),
    Choice(
        f"ARM tasks ({ARM64}, Graviton)",
        {"cpuArchitecture": ARM64},
        "images built for linux/arm64",
    ),
    Choice(
        f"EFS {ELASTIC_THROUGHPUT} throughput",
        {"efsThroughputMode": ELASTIC_THROUGHPUT},
        "pay per GB read and written (stated volumes); no burst credits to run out",
    ),
    Choice(
        f"EFS {BURSTING_THROUGHPUT} throughput",
        {"efsThroughputMode": BURSTING_THROUGHPUT},
        "no per-GB charge, but ~1 MiB/s baseline for a 2 GB file system once burst credits "
        "are spent (checkpoints, base backups, crash recovery)",
    ),
    Choice(
        "AWS WAF on the load balancer",
        {"waf": WAF_ON},
        "managed rules and a per-IP rate limit on sign-in, sign-up and password reset; "
        "$0.60 per million requests inspected (stated volume)",
    ),
    Choice(
        "no AWS WAF",
        {"waf": WAF_OFF},
        "nothing in front of Django's own checks: a burst of sign-ins reaches the workers",
    ),
    Choice(
        f"Postgres in the task on EFS (database: {DATABASE_EFS}, one task)",
        {"database": DATABASE_EFS, "minTasks": "1", "maxTasks": "1", "fargateSpot": SPOT_OFF},
        "cheapest; one task, so a deploy or a task failure stops the site for a minute or two",
    ),
    Choice(
        f"Postgres on RDS (database: {DATABASE_RDS}, two tasks)",
        {"database": DATABASE_RDS, "minTasks": "2", "maxTasks": "6", "fargateSpot": SPOT_OFF},
        "rolling deploys without downtime, a task per AZ, auto scaling to 6 tasks (not priced), "
        "Multi-AZ on production, RDS backups and PITR; an instance costs more than EFS",
    ),
    Choice(
        f"Postgres on RDS, tasks beyond the first half on Fargate Spot (fargateSpot: {SPOT_MIXED})",
        {"database": DATABASE_RDS, "minTasks": "2", "maxTasks": "6", "fargateSpot": SPOT_MIXED},
        "as above; a Spot task may be stopped at two minutes' notice and is not replaced while "
        "Spot has no capacity (the first task stays on-demand); Spot priced at 50% off, "
        "its discount varies up to 70%",
    ),
)


@dataclass(frozen=True)
class Alternative:
    choice: Choice
    current: bool
    estimate: CostEstimate | None
    refused: str | None = None  # why the settings do not allow it

    @property
    def label(self) -> str:
        return self.choice.label + (" (current)" if self.current else "")

    @property
    def settings_text(self) -> str:
        return ", ".join(f"{k}: {v}" for k, v in self.choice.overrides.items())


@dataclass(frozen=True)
class StackRun:
    """One offline run of the program and what the plan derives from it."""

    recording: object  # offline.StackRecording
    resources: list[Resource]
    shape: StackShape


@dataclass(frozen=True)
class Plan:
    stack: str
    settings: object  # stack.settings.StackSettings
    prices: Prices
    usage: Usage
    run: StackRun
    estimate: CostEstimate
    reaches: list[Reach]
    results: list[RuleResult]
    alternatives: list[Alternative]
    policy_config: Path | None = None  # the stack's policy pack config, when it has one


def read_settings(
    stack: str, root: Path = REPO_ROOT, config_file: Path | None = None
) -> tuple[dict[str, str], StackSettings]:
    """The stack file's config and its validated settings (raises on unknown stack / bad value);
    ``config_file`` in place of ``Pulumi.<stack>.yaml``, as ``pulumi preview --config-file``."""
    from stack.settings import load_settings, read_stack_file

    config = read_stack_file(stack, root, config_file)
    return config, load_settings(config)


def run_stack(config: Mapping[str, str], stack: str, root: Path = REPO_ROOT) -> StackRun:
    from tools.offline import run_program

    program_file = root / "__main__.py"
    if not program_file.is_file():
        raise FileNotFoundError(f"{program_file} does not exist: there is no program to plan")

    def program() -> None:
        runpy.run_path(str(program_file), run_name="__main__")

    recording = run_program(program, config=config, stack=stack)
    resources = rule_resources(recording.resources)
    return StackRun(recording, resources, stack_shape(resources, str(config["aws:region"])))


def _alternatives(
    config: Mapping[str, str],
    settings: object,
    stack: str,
    root: Path,
    prices: Prices,
    usage: Usage,
    current: CostEstimate,
) -> list[Alternative]:
    from stack.settings import SettingsError, load_settings

    alternatives = []
    for choice in CHOICES:
        changed = {**config, **choice.overrides}
        try:
            changed_settings = load_settings(changed)
        except SettingsError as error:
            alternatives.append(Alternative(choice, False, None, refused=str(error)))
            continue
        if changed_settings == settings:
            alternatives.append(Alternative(choice, True, current))
            continue
        shape = run_stack(changed, stack, root).shape
        alternatives.append(Alternative(choice, False, estimate(shape, prices, usage)))
    return alternatives


def build_plan(
    stack: str,
    *,
    usage: Usage = Usage(),  # noqa: B008
    root: Path = REPO_ROOT,
    price_file: Path = PRICE_FILE,
    with_alternatives: bool = True,
    config_file: Path | None = None,
) -> Plan:
    config, settings = read_settings(stack, root, config_file)
    prices = load_prices(settings.region, price_file)
    run = run_stack(config, stack, root)
    # The stack's enforcement levels, as `pulumi preview --policy-pack-config` would set them.
    policy_config = pack_config_file(stack, root / "policy")
    rules = stack_rules(stack, root / "policy")
    current = estimate(run.shape, prices, usage)
    alternatives = (
        _alternatives(config, settings, stack, root, prices, usage, current)
        if with_alternatives
        else []
    )
    return Plan(
        stack=stack,
        settings=settings,
        prices=prices,
        usage=usage,
        run=run,
        estimate=current,
        reaches=services_reached(run.resources),
        results=evaluate(run.resources, rules),
        alternatives=alternatives,
        policy_config=policy_config if policy_config.is_file() else None,
    )
