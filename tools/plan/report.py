"""The plan as text (``make plan``) and as the documents' generated blocks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from policy.model import Enforcement, RuleResult
from tools.plan.cost_lines import CostEstimate, total_line
from tools.plan.diagram import mermaid
from tools.plan.planner import Plan


def _usd(value: Decimal) -> str:
    return f"${value:,.2f}"


def _difference(value: Decimal, current: Decimal) -> str:
    delta = value - current
    sign = "+" if delta >= 0 else "-"
    return f"{sign}${abs(delta):,.2f}"


NOT_PRICED = (
    "data transfer out to the internet, S3 media storage, S3 requests, ECR image storage, "
    "AWS Backup storage, SES messages, KMS requests"
)


def usage_text(plan: Plan) -> str:
    u = plan.usage
    return (
        f"EFS data {u.efs_gb:g} GB, EFS reads {u.efs_read_gb:g} GB/month and writes "
        f"{u.efs_write_gb:g} GB/month (billed with elastic throughput), database backups in S3 "
        f"{u.backup_gb:g} GB, container logs {u.log_gb:g} GB/month, "
        f"traffic to AWS APIs {u.aws_traffic_gb:g} GB/month, ALB {u.alb_lcu:g} LCU on average, "
        f"VPC flow logs {u.flow_log_gb:g} GB/month ({u.flow_log_stored_gb:g} GB kept), "
        f"ALB access logs in S3 {u.access_log_gb:g} GB, "
        f"WAF {u.waf_million_requests:g} M requests/month (with a WAF), "
        f"RDS backups {u.rds_backup_gb:g} GB, "
        f"each run of a scheduled task (the restore drill) {u.scheduled_task_minutes:g} minutes"
    )


def prices_text(plan: Plan) -> str:
    p = plan.prices
    return (
        f"{p.region} on-demand prices ({p.source}; retrieved {p.retrieved}; tools/plan/prices.toml)"
    )


def mandatory_failures(results: list[RuleResult]) -> list[RuleResult]:
    return [r for r in results if not r.passed and r.rule.enforcement is Enforcement.MANDATORY]


def _result_word(result: RuleResult) -> str:
    if not result.passed:
        return "FAIL" if result.rule.enforcement is Enforcement.MANDATORY else "WARN"
    return "pass" if result.checked else "n/a"


# --- the terminal report -----------------------------------------------------------------------


def _table(rows: Sequence[tuple[str, ...]], right: frozenset[int] = frozenset()) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  "
        + "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def cost_lines(estimate: CostEstimate) -> list[str]:
    rows = [("item", "quantity", "USD/month")]
    rows += [(line.item, line.quantity, _usd(line.monthly_usd)) for line in estimate.lines]
    return [*_table(rows, right=frozenset({2})), total_line(estimate)]


def text_report(plan: Plan) -> str:
    out: list[str] = []
    settings = plan.settings
    out.append(
        f"Plan of stack {plan.stack!r} in {settings.region} (offline: the Pulumi program under "  # type: ignore[attr-defined]
        "recording mocks; no credentials, nothing deployed)"
    )
    resources = plan.run.recording.resources  # type: ignore[attr-defined]
    counts = Counter(resource.type for resource in resources)

    out += ["", f"1. Resources ({len(resources)}) by type"]
    out += _table(
        [("count", "type"), *((str(n), t) for t, n in sorted(counts.items()))], frozenset({0})
    )
    out += ["", "   AWS services the task reaches"]
    out += _table(
        [("service", "served by", "why")]
        + [(r.service, r.served_by, r.reason) for r in plan.reaches]
    )

    out += ["", f"2. Estimated monthly cost, USD: {prices_text(plan)}"]
    out.append(f"   stated usage: {usage_text(plan)}")
    out.append(f"   not priced: {NOT_PRICED}")
    out += cost_lines(plan.estimate)

    out += ["", "3. Alternatives the settings allow (same usage, same prices)"]
    rows = [("alternative", "settings", "USD/month", "vs current", "trade-off")]
    for alternative in plan.alternatives:
        if alternative.estimate is None:
            rows.append(
                (
                    alternative.label,
                    alternative.settings_text,
                    "not allowed",
                    "",
                    alternative.refused or "",
                )
            )
        else:
            rows.append(
                (
                    alternative.label,
                    alternative.settings_text,
                    _usd(alternative.estimate.total),
                    _difference(alternative.estimate.total, plan.estimate.total),
                    alternative.choice.trade_off,
                )
            )
    out += _table(rows, right=frozenset({2, 3}))

    out += ["", "4. Policy rules (policy/rules/; FAIL = mandatory, WARN = advisory)"]
    if plan.policy_config is not None:
        out.append(
            f"   enforcement levels from policy/{plan.policy_config.name}, as "
            "`pulumi preview --policy-pack-config` sets them"
        )
    for result in plan.results:
        out.append(
            f"  {_result_word(result):4}  {result.rule.id:20} {result.rule.title} "
            f"[{result.rule.enforcement}, {result.checked} checked]"
        )
        out.extend(
            f"          - {finding.resource or 'stack'}: {finding.message}"
            for finding in result.findings
        )
    failed = mandatory_failures(plan.results)
    passed = sum(1 for r in plan.results if r.passed)
    out.append(
        f"  {passed} of {len(plan.results)} rules pass; "
        f"{len(failed)} mandatory rule(s) fail"
        + (": " + ", ".join(r.rule.id for r in failed) if failed else "")
    )
    return "\n".join(out) + "\n"


# --- the documents' generated blocks ----------------------------------------------------------


def diagram_block(plan: Plan) -> str:
    source = mermaid(plan.run.recording.resources, plan.reaches)  # type: ignore[attr-defined]
    return f"```mermaid\n{source}```\n"


def cost_markdown(plan: Plan) -> str:
    out = [
        f"Prices: {prices_text(plan)}. Stated usage: {usage_text(plan)}. Not priced: {NOT_PRICED}.",
        "",
        "| item | quantity | USD/month |",
        "|---|---|---:|",
    ]
    out += [
        f"| {line.item} | {line.quantity} | {_usd(line.monthly_usd)} |"
        for line in plan.estimate.lines
    ]
    out += [
        "",
        "What the other settings would cost (the same program run again with one setting changed):",
        "",
        "| alternative | settings | USD/month | vs current | trade-off |",
        "|---|---|---:|---:|---|",
    ]
    for alternative in plan.alternatives:
        if alternative.estimate is None:
            out.append(f"| {alternative.label} | `{alternative.settings_text}` | not allowed | | |")
        else:
            out.append(
                f"| {alternative.label} | `{alternative.settings_text}` "
                f"| {_usd(alternative.estimate.total)} "
                f"| {_difference(alternative.estimate.total, plan.estimate.total)} "
                f"| {alternative.choice.trade_off} |"
            )
    priced = [a for a in plan.alternatives if a.estimate is not None and not a.current]
    if priced:
        cheapest = min(priced, key=lambda a: a.estimate.total)  # type: ignore[union-attr]
        total = cheapest.estimate.total  # type: ignore[union-attr]
        out += [
            "",
            f"Cheapest alternative: {cheapest.choice.label}, {_usd(total)} a month "
            f"({_difference(total, plan.estimate.total)}); its trade-off: "
            f"{cheapest.choice.trade_off}.",
        ]
    out += ["", total_line(plan.estimate)]
    return "\n".join(out) + "\n"


def scale_cost_markdown(plan: Plan) -> str:
    """One line for docs/cost.md beside prod's estimate: the scale stack's monthly total, with
    what makes it the scale stack (tasks, database instance)."""
    settings: Any = plan.settings  # stack.settings.StackSettings
    standby = " Multi-AZ" if settings.db_multi_az else ""
    return (
        f"`{plan.stack}` (`database: {settings.database}`, {settings.min_tasks} to "
        f"{settings.max_tasks} tasks, {settings.db_instance_class}{standby}): "
        f"{total_line(plan.estimate)} (`python -m tools.plan --stack {plan.stack}`)\n"
    )


def policy_markdown(plan: Plan) -> str:
    out = ["| rule | what it demands | enforcement | prod |", "|---|---|---|---|"]
    for result in plan.results:
        word = {"pass": "pass", "n/a": "n/a (nothing to check)", "FAIL": "**FAIL**"}.get(
            _result_word(result), "advisory finding"
        )
        rule_id = f"[{result.rule.id}]({result.rule.url})" if result.rule.url else result.rule.id
        out.append(f"| {rule_id} | {result.rule.title} | {result.rule.enforcement} | {word} |")
    return "\n".join(out) + "\n"
