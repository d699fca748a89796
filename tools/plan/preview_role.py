"""``python -m tools.plan.preview_role --stack dev``: the pull-request preview role's IAM policy.

The role ``django-tw-pr-preview`` runs ``pulumi preview`` for code nobody has reviewed yet, so it
may *describe* what the stack declares and read nothing the stack holds: no S3 object (the WAL
archive and base backups are the whole database; the load balancer's access logs carry request
URLs), no secret value, no log event, no KMS decryption, no image layer.

AWS's ``ReadOnlyAccess`` is the wrong policy for this: it allows ``s3:Get*``, ``logs:Get*``
and ``logs:FilterLogEvents`` on ``*``
(https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html), that is
every object and log event of the account. ``ViewOnlyAccess`` ("view resources and basic
metadata", https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ViewOnlyAccess.html)
reads no data but lacks most of the ``Get*Configuration`` calls a refresh makes (the bucket's
lifecycle, encryption, policy; the role's inline policy...). So the policy is derived, like the
deploy role's (:mod:`tools.plan.deploy_role`), from what the program declares:

- the read calls (``Describe*``, ``Get*``, ``List*``) that :data:`tools.plan.deploy_actions.NEEDS`
  lists for each declared type: the calls the provider's Read function makes on a refresh, and
  the data sources a preview invokes; ``ecr:GetAuthorizationToken`` comes with them, because
  awsx's ``ecr.Image`` invokes ``aws.ecr.getAuthorizationToken`` on every preview
  (pulumi-awsx ``awsx/ecr/auth.ts``, ``getDockerCredentials``); the token alone pulls nothing,
  since a pull also needs ``ecr:BatchGetImage`` and ``ecr:GetDownloadUrlForLayer``, which are
  never granted;
- minus :data:`NEVER`: calls that return data rather than metadata;
- plus a ``Deny`` of the same data reads (:data:`DENIED`), which outweighs any ``Allow`` a later
  attachment adds (ReadOnlyAccess included).
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

A refresh of an ``aws:secretsmanager/secretVersion:SecretVersion`` cannot work with this role:
its Read function reads the value (``GetSecretValue``, terraform-provider-aws
``internal/service/secretsmanager/secret_version.go``, ``resourceSecretVersionRead``). The
preview workflow does not refresh; a refresh is a deploy-role job.

Exit status: 0 printed; 2 a type the table does not know, or bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tools.plan.cli_options import add_stack_file_options
from tools.plan.deploy_actions import NEEDS
from tools.plan.deploy_policies import Declared, UnknownTypeError, missing_types
from tools.plan.deploy_role import declared_by_stack, policy_text

ROLE_NAME = "django-tw-pr-preview"
# Verbs of calls that describe a resource; what they return is checked against NEVER.
READ_VERBS = ("Describe", "Get", "List")
# A managed policy holds at most 6,144 characters, whitespace not counted:
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
MANAGED_POLICY_LIMIT = 6_144

# Read calls that return data, not metadata: never allowed, even when the provider makes them.
NEVER: frozenset[str] = frozenset(
    {
        "secretsmanager:GetSecretValue",  # a secret's value
        "secretsmanager:BatchGetSecretValue",
        "ecr:BatchGetImage",  # an image's manifest, then ...
        "ecr:GetDownloadUrlForLayer",  # ... its layers: the image itself
        "kms:Decrypt",
        "logs:GetLogEvents",  # log events: request lines, tracebacks
        "logs:FilterLogEvents",
        "logs:StartQuery",
        "logs:GetQueryResults",
        "logs:StartLiveTail",
        "logs:GetLogRecord",
        "logs:GetLogObject",
    }
)
# What the Deny statement names: every S3 object read (the WAL archive, base backups, access
# logs, media), and NEVER.
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
DENIED: tuple[str, ...] = ("s3:GetObject*", *sorted(NEVER))


def is_object_read(action: str) -> bool:
    """Whether ``action`` reads an S3 object or its versions (``s3:GetObject...``)."""
    return action.lower().startswith("s3:getobject")


def is_read(action: str) -> bool:
    """A describe/get/list call (``ec2:DescribeVpcs``) that returns no data."""
    verb = action.partition(":")[2]
    return verb.startswith(READ_VERBS) and action not in NEVER and not is_object_read(action)


def read_actions(declared: Declared) -> list[str]:
    """The read calls of every type ``declared`` holds, sorted."""
    types = declared.types
    if missing := missing_types(types):
        raise UnknownTypeError(
            f"tools/plan/deploy_actions.py has no entry for {', '.join(missing)}: add the IAM "
            "actions "
            "the provider needs for it to NEEDS"
        )
    return sorted({a for kind in types for a in NEEDS[kind].actions if is_read(a)})


def policy_document(declared: Declared) -> dict[str, Any]:
    """The preview role's identity policy for what ``declared`` holds."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DescribeDeclaredResources",
                "Effect": "Allow",
                "Action": read_actions(declared),
                "Resource": "*",
            },
            {"Sid": "NeverReadData", "Effect": "Deny", "Action": list(DENIED), "Resource": "*"},
        ],
    }


def size(document: dict[str, Any]) -> int:
    """Characters IAM counts against a policy's quota: the JSON without whitespace."""
    return len(json.dumps(document, separators=(",", ":")))


def main(argv: list[str] | None = None) -> int:
    from stack.settings import SettingsError

    parser = argparse.ArgumentParser(prog="python -m tools.plan.preview_role", description=__doc__)
    add_stack_file_options(parser, default_stack="dev")
    args = parser.parse_args(argv)
    try:
        document = policy_document(declared_by_stack(args.stack, config_file=args.config_file))
    except (UnknownTypeError, SettingsError, FileNotFoundError) as error:
        print(f"python -m tools.plan.preview_role: {error}", file=sys.stderr)
        return 2
    if size(document) > MANAGED_POLICY_LIMIT:
        print(
            f"python -m tools.plan.preview_role: the policy has {size(document)} characters, over "
            f"IAM's {MANAGED_POLICY_LIMIT} for a managed policy: split it in two",
            file=sys.stderr,
        )
        return 2
    sys.stdout.write(policy_text(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
