"""``python -m plan.deploy_role --stack prod``: the deploy role's IAM policy, from the program.

The program runs offline (as ``make plan`` runs it); every resource type, remote component and
data source it uses is looked up in :data:`plan.deploy_actions.NEEDS`, and the policy grants
those actions and no others:

- the actions of every type, on ``*`` (IAM's own actions apart);
- IAM actions only on the stack's own roles and users, by name (Pulumi names each one from its
  logical name plus a random suffix, so ``role/tw-prod-task-role-*``);
- ``iam:CreateServiceLinkedRole`` only for the services that make one on first use (ECS, ELB,
  EFS, Backup), with ``iam:AWSServiceName``;
- ``iam:PassRole`` only on the stack's roles, each only to the service its trust policy names,
  with ``iam:PassedToService``.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html

Exit status: 0 printed; 2 a type the table does not know, or bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paths import REPO_ROOT
from plan.deploy_actions import NEEDS

PROVIDER = "pulumi:providers:aws"
IAM_ROLE, IAM_USER = "aws:iam/role:Role", "aws:iam/user:User"
# The parts of AWS's own names for the two service-linked things.
SERVICE_LINKED_ROLES_ARN = "arn:aws:iam::*:role/aws-service-role/*"


class UnknownTypeError(LookupError):
    """The program declares something :data:`NEEDS` has no entry for."""


@dataclass(frozen=True)
class Declared:
    """What one offline run of the program declares and calls."""

    resources: Sequence[Any]  # offline.RecordedResource
    data_sources: Sequence[str]

    @property
    def types(self) -> set[str]:
        """Every type the deploy role acts on: AWS resources, remote components (awsx), data
        sources and the provider itself; local components (``django-tw:``) call nothing."""
        kinds = {r.type for r in self.resources if r.custom or r.type.startswith("awsx:")}
        return kinds | set(self.data_sources) | {PROVIDER}


def missing_types(types: Iterable[str]) -> list[str]:
    return sorted(kind for kind in types if kind not in NEEDS)


def name_pattern(resource: Any) -> str:
    """The physical name of a role or user, as an ARN pattern: its ``name`` when set, else its
    logical name and Pulumi's random suffix."""
    name = resource.inputs.get("name")
    return name if name else f"{resource.inputs.get('namePrefix') or resource.name + '-'}*"


def trusted_services(role: Any) -> list[str]:
    """The services a role's trust policy lets assume it (``ecs-tasks.amazonaws.com``)."""
    document = role.inputs.get("assumeRolePolicy") or "{}"
    statements = json.loads(document).get("Statement") or []
    services: list[str] = []
    for statement in statements:
        principal = (statement.get("Principal") or {}).get("Service") or []
        services.extend([principal] if isinstance(principal, str) else principal)
    return sorted(set(services))


def policy_document(declared: Declared) -> dict[str, Any]:
    """The deploy role's identity policy for what ``declared`` holds."""
    types = declared.types
    if missing := missing_types(types):
        raise UnknownTypeError(
            f"plan/deploy_actions.py has no entry for {', '.join(missing)}: add the IAM actions "
            "the provider needs for it to NEEDS"
        )
    actions = {action for kind in types for action in NEEDS[kind].actions}
    roles = [r for r in declared.resources if r.type == IAM_ROLE]
    users = [r for r in declared.resources if r.type == IAM_USER]
    identities = [f"arn:aws:iam::*:role/{name_pattern(r)}" for r in roles] + [
        f"arn:aws:iam::*:user/{name_pattern(r)}" for r in users
    ]
    statements: list[dict[str, Any]] = [
        {
            "Sid": "DeclaredResources",
            "Effect": "Allow",
            "Action": sorted(a for a in actions if not a.startswith("iam:")),
            "Resource": "*",
        }
    ]
    if iam_actions := sorted(a for a in actions if a.startswith("iam:")):
        statements.append(
            {
                "Sid": "StackIdentities",
                "Effect": "Allow",
                "Action": iam_actions,
                "Resource": sorted(identities),
            }
        )
    if linked := sorted({NEEDS[k].service_linked_role for k in types} - {""}):
        statements.append(
            {
                "Sid": "ServiceLinkedRoles",
                "Effect": "Allow",
                "Action": "iam:CreateServiceLinkedRole",
                "Resource": SERVICE_LINKED_ROLES_ARN,
                "Condition": {"StringEquals": {"iam:AWSServiceName": linked}},
            }
        )
    by_service: dict[str, list[str]] = {}
    for role in roles:
        for service in trusted_services(role):
            by_service.setdefault(service, []).append(f"arn:aws:iam::*:role/{name_pattern(role)}")
    for service, arns in sorted(by_service.items()):
        statements.append(
            {
                "Sid": "PassRoleTo" + "".join(p.title() for p in service.split(".")[0].split("-")),
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": sorted(arns),
                "Condition": {"StringEquals": {"iam:PassedToService": service}},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def policy_text(document: dict[str, Any], width: int = 100) -> str:
    """The policy as JSON, indented, with lists of names filled into lines of ``width``
    (a few hundred actions stay readable in the docs)."""
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


def declared_by_stack(stack: str, root: Path = REPO_ROOT) -> Declared:
    """Run the program offline with ``Pulumi.<stack>.yaml`` and note what it declares."""
    from offline import RecordingMocks, run_program
    from stack_settings import load_settings, read_stack_file

    config = read_stack_file(stack, root)
    settings = load_settings(config)
    mocks = RecordingMocks(region=settings.region)
    recording = run_program(
        lambda: runpy.run_path(str(root / "__main__.py"), run_name="__main__"),
        config=config,
        stack=stack,
        mocks=mocks,
    )
    return Declared(recording.resources, sorted({token for token, _ in mocks.calls}))


def main(argv: list[str] | None = None) -> int:
    from stack_settings import SettingsError

    parser = argparse.ArgumentParser(prog="python -m plan.deploy_role", description=__doc__)
    parser.add_argument("--stack", default="prod", help="stack name: reads Pulumi.<stack>.yaml")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(policy_text(policy_document(declared_by_stack(args.stack))))
    except (UnknownTypeError, SettingsError, FileNotFoundError, ValueError) as error:
        print(f"python -m plan.deploy_role: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
