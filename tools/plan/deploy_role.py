"""``python -m tools.plan.deploy_role --stack prod``: the deploy role's policies and the boundary.

The program runs offline (as ``make plan`` runs it); what it declares becomes the deploy role's
customer-managed policies (:mod:`tools.plan.deploy_policies`) and the permissions boundary of the
roles and user it creates (:mod:`tools.plan.deploy_boundary`). Each is printed with its size as IAM
counts it, or written to ``--out DIR`` as ``<name>.json``.

Exit status: 0 printed; 2 a type the table does not know, a policy over IAM's limits, or bad
input (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
from pathlib import Path
from typing import Any

from stack.paths import REPO_ROOT
from tools.plan.cli_options import add_stack_file_options
from tools.plan.deploy_boundary import boundary_document
from tools.plan.deploy_policies import (
    MANAGED_POLICIES_PER_ROLE,
    MANAGED_POLICY_LIMIT,
    Declared,
    Target,
    UnknownTypeError,
    boundary_policy_name,
    deploy_policies,
    minified_size,
    partition_of,
)


class PolicyTooLargeError(ValueError):
    """A generated policy, or their number, passes IAM's quotas."""


def policy_text(document: dict[str, Any], width: int = 100) -> str:
    """The policy as JSON, indented, with lists of names filled into lines of ``width``
    (a few hundred actions stay readable)."""
    lines: list[str] = []
    for line in json.dumps(document, indent=2).splitlines():
        stripped = line.strip()
        is_item = stripped.startswith('"') and ":" in stripped and '": ' not in stripped
        previous = lines[-1] if lines else ""
        if (
            is_item
            and previous.strip().startswith('"')
            and '": ' not in previous
            and len(previous) + 1 + len(stripped) <= width
        ):
            lines[-1] = f"{previous} {stripped}"
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def declared_by_stack(
    stack: str,
    root: Path = REPO_ROOT,
    overrides: dict[str, str] | None = None,
    config_file: Path | None = None,
) -> Declared:
    """Run the program offline with ``Pulumi.<stack>.yaml`` (or ``config_file``, as ``pulumi
    preview --config-file``; and ``overrides``, settings by name) and note what it declares."""
    from stack.settings import load_settings, read_stack_file
    from tools.offline import RecordingMocks, run_program

    config = {**read_stack_file(stack, root, config_file), **(overrides or {})}
    settings = load_settings(config)
    mocks = RecordingMocks(region=settings.region)

    def program() -> None:
        runpy.run_path(str(root / "__main__.py"), run_name="__main__")

    recording = run_program(
        program,
        config=config,
        stack=stack,
        mocks=mocks,
    )
    return Declared(recording.resources, sorted({token for token, _ in mocks.calls}))


def target_of(
    stack: str, account: str = "*", root: Path = REPO_ROOT, config_file: Path | None = None
) -> Target:
    """The names and ARNs ``Pulumi.<stack>.yaml`` (or ``config_file``) gives: its region's
    partition, and the boundary its ``permissionsBoundary`` names."""
    from stack.settings import load_settings, read_stack_file

    settings = load_settings(read_stack_file(stack, root, config_file))
    name = settings.permissions_boundary or boundary_policy_name(stack)
    return Target(
        stack, account, partition_of(settings.region), settings.region, name.split("/")[-1]
    )


def generate(
    stack: str, account: str = "*", config_file: Path | None = None
) -> tuple[dict[str, dict], str, dict]:
    """The deploy role's policies by name, the boundary's name and its document; refused
    when IAM would refuse them."""
    declared = declared_by_stack(stack, config_file=config_file)
    target = target_of(stack, account, config_file=config_file)
    policies = deploy_policies(declared, target)
    for name, document in policies.items():
        if (size := minified_size(document)) > MANAGED_POLICY_LIMIT:
            raise PolicyTooLargeError(f"{name} has {size} characters; IAM allows 6,144")
    if len(policies) > MANAGED_POLICIES_PER_ROLE:
        raise PolicyTooLargeError(f"{len(policies)} policies; a role holds 10 by default")
    boundary = boundary_document(declared, target)
    boundary_name = target.boundary_arn.rsplit("/", 1)[-1]
    if (size := minified_size(boundary)) > MANAGED_POLICY_LIMIT:
        raise PolicyTooLargeError(f"{boundary_name} has {size} characters; IAM allows 6,144")
    return policies, boundary_name, boundary


def main(argv: list[str] | None = None) -> int:
    from stack.settings import SettingsError

    parser = argparse.ArgumentParser(prog="python -m tools.plan.deploy_role", description=__doc__)
    add_stack_file_options(parser, default_stack="prod")
    parser.add_argument("--account", default="*", help="the AWS account id the ARNs name")
    parser.add_argument("--out", type=Path, help="write <name>.json for each policy here")
    args = parser.parse_args(argv)
    try:
        policies, boundary_name, boundary = generate(args.stack, args.account, args.config_file)
    except (
        UnknownTypeError,
        PolicyTooLargeError,
        SettingsError,
        FileNotFoundError,
        ValueError,
    ) as error:
        print(f"python -m tools.plan.deploy_role: {error}", file=sys.stderr)
        return 2
    documents = {**policies, boundary_name: boundary}
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    for name, document in documents.items():
        role = "permissions boundary" if name == boundary_name else "deploy role policy"
        size = minified_size(document)
        if args.out:
            (args.out / f"{name}.json").write_text(policy_text(document), encoding="utf-8")
            print(f"{args.out / (name + '.json')}: {role}, {size} of 6144 characters")
        else:
            sys.stdout.write(f"# {name}: {role}, {size} of 6144 characters\n")
            sys.stdout.write(policy_text(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
