"""``python -m tools.plan --stack prod``: print the offline plan of a stack.

Exit status: 0 plan printed and every mandatory rule passes; 1 a mandatory rule fails;
2 bad input (unknown stack, bad setting, region without prices); 3 the program itself failed.
Bad input gives one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

import yaml

from stack.settings import SettingsError
from tools.plan import generated_docs, project_file
from tools.plan.cli_options import add_stack_file_options
from tools.plan.planner import REPO_ROOT, build_plan, read_settings
from tools.plan.prices import PRICE_FILE, UnknownRegionError, load_prices
from tools.plan.report import (
    cost_markdown,
    diagram_block,
    mandatory_failures,
    policy_markdown,
    scale_cost_markdown,
    text_report,
)
from tools.plan.settings_table import settings_table
from tools.plan.shape import Usage

BAD_INPUT, PROGRAM_FAILED, RULES_FAILED = 2, 3, 1


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    defaults = Usage()
    parser = argparse.ArgumentParser(
        prog="python -m tools.plan", description=__doc__.splitlines()[0]
    )
    add_stack_file_options(parser, default_stack="prod")
    parser.add_argument(
        "--root",
        type=Path,
        default=REPO_ROOT,
        help="project directory with Pulumi.<stack>.yaml and __main__.py (default: this one)",
    )
    parser.add_argument("--efs-gb", type=float, default=defaults.efs_gb, help="data on EFS, GB")
    parser.add_argument(
        "--log-gb", type=float, default=defaults.log_gb, help="log ingestion, GB/month"
    )
    parser.add_argument(
        "--aws-traffic-gb",
        type=float,
        default=defaults.aws_traffic_gb,
        help="traffic to AWS APIs through endpoints or NAT, GB/month",
    )
    parser.add_argument("--alb-lcu", type=float, default=defaults.alb_lcu, help="average ALB LCUs")
    parser.add_argument(
        "--waf-million-requests",
        type=float,
        default=defaults.waf_million_requests,
        help="requests the web ACL inspects, millions/month (waf: on)",
    )
    parser.add_argument(
        "--no-alternatives", action="store_true", help="skip re-running for the alternatives"
    )
    parser.add_argument(
        "--write-docs",
        # The flag's former name, from when the blocks were all in the README.
        "--write-readme",
        dest="write_docs",
        action="store_true",
        help="also rewrite the generated blocks of docs/cost.md, docs/security.md and "
        "docs/deploying.md (diagram, cost, policy results, settings)",
    )
    parser.add_argument(
        "--write-project-config",
        action="store_true",
        help="only rewrite Pulumi.yaml's config: block from the settings table, then exit",
    )
    parser.add_argument(
        "--traceback", action="store_true", help="show the traceback when the program fails"
    )
    return parser.parse_args(argv)


def fail(message: str, status: int) -> int:
    """One line on stderr (YAML errors come on several lines: fold them)."""
    print("plan: " + " ".join(message.split()), file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.write_project_config:
        project_file.write()
        print(f"wrote the config: block of {project_file.PROJECT_FILE}")
        return 0
    usage = Usage(
        efs_gb=args.efs_gb,
        log_gb=args.log_gb,
        aws_traffic_gb=args.aws_traffic_gb,
        alb_lcu=args.alb_lcu,
        waf_million_requests=args.waf_million_requests,
    )
    if args.write_docs and (
        args.stack != "prod" or args.root != REPO_ROOT or args.config_file is not None
    ):
        return fail(
            "--write-docs describes this repository's prod stack: use --stack prod", BAD_INPUT
        )

    # Bad input first, each with one line and no traceback.
    try:
        _, settings = read_settings(args.stack, args.root, args.config_file)
        load_prices(settings.region, PRICE_FILE)
    except (SettingsError, UnknownRegionError) as error:
        return fail(f"stack {args.stack!r}: {error}", BAD_INPUT)
    except FileNotFoundError as error:  # unknown stack
        return fail(str(error), BAD_INPUT)
    except (ValueError, yaml.YAMLError) as error:  # a stack file that is not valid YAML config
        return fail(f"stack {args.stack!r}: {error}", BAD_INPUT)

    try:
        plan = build_plan(
            args.stack,
            usage=usage,
            root=args.root,
            price_file=PRICE_FILE,
            with_alternatives=not args.no_alternatives,
            config_file=args.config_file,
        )
    except Exception as error:  # the program (or an alternative of it) raised
        if args.traceback:
            traceback.print_exc()
        return fail(
            f"the Pulumi program failed under the mocks: {type(error).__name__}: {error} "
            "(rerun with --traceback for details)",
            PROGRAM_FAILED,
        )

    sys.stdout.write(text_report(plan))
    if args.write_docs:
        scale = build_plan(
            generated_docs.SCALE_STACK, usage=usage, root=args.root, with_alternatives=False
        )
        written = generated_docs.write(
            {
                generated_docs.DIAGRAM: diagram_block(plan),
                generated_docs.POLICY: policy_markdown(plan),
                generated_docs.COST: cost_markdown(plan),
                generated_docs.SCALE_COST: scale_cost_markdown(scale),
                generated_docs.SETTINGS: settings_table(),
            }
        )
        print("wrote the generated blocks of " + ", ".join(str(path) for path in written))
    return RULES_FAILED if mandatory_failures(plan.results) else 0


if __name__ == "__main__":
    sys.exit(main())
