"""The stack's name, checked before any resource: it is part of every resource's name.

The program names everything ``tw-<stack>...`` (``__main__.py``). Two of those names have
rules AWS enforces only when the resource is created, after other resources already were:

- the load balancer and its target group take Pulumi's auto-name, the logical name plus ``-``
  and 7 random characters (``tw-prod-web-alb-e1c223e``), and ELB allows 32 characters
  ("can have a maximum of 32 characters", CreateLoadBalancer's ``Name``:
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html;
  CreateTargetGroup's likewise:
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html).
  Past it the preview stops with "name '...' plus 7 random chars is longer than maximum length
  32" (pulumi/pulumi, ``NewUniqueName`` in sdk/go/common/resource/resource_id.go);
- the RDS instance identifier ``tw-<stack>-rds`` takes lower-case letters, digits and single
  hyphens, starts with a letter and does not end with a hyphen (terraform-provider-aws,
  ``validIdentifier`` in internal/service/rds/validate.go).
"""

from __future__ import annotations

import re

import pulumi

NAME_PREFIX = "tw-"
"""``__main__.py``: ``name = f"tw-{pulumi.get_stack()}"``, the start of every resource's name."""
LONGEST_ELB_SUFFIX = "-web-alb"
"""The public entrance is ``f"{name}-web"`` and names its load balancer ``...-alb`` (its target
group ``...-tg``, one shorter): the longest name ELB's limit applies to."""
ELB_NAME_LIMIT = 32
AUTONAME_SUFFIX = len("-") + 7
"""What Pulumi's auto-naming appends to a logical name: a hyphen and 7 random characters."""

MAX_LENGTH = ELB_NAME_LIMIT - len(NAME_PREFIX) - len(LONGEST_ELB_SUFFIX) - AUTONAME_SUFFIX
RULE = rf"^[a-z][a-z0-9-]{{0,{MAX_LENGTH - 1}}}$"
_RULE = re.compile(RULE)


class StackNameError(pulumi.RunError, ValueError):
    """The stack's name cannot be part of its resources' names (one line, like SettingsError:
    a RunError is logged without a traceback)."""


def stack_name_problem(stack: str) -> str | None:
    """What is wrong with ``stack`` as part of the resources' names; None: nothing."""
    if not _RULE.match(stack) or "--" in stack or stack.endswith("-"):
        return (
            f"stack name {stack!r} cannot be part of this stack's resource names: use 1 to "
            f"{MAX_LENGTH} lower-case letters, digits and single hyphens, starting with a letter "
            f"and not ending with a hyphen ({RULE}, no --), because the load balancer's name "
            f"{NAME_PREFIX}<stack>{LONGEST_ELB_SUFFIX} plus Pulumi's 7 random characters may "
            f"have at most {ELB_NAME_LIMIT} characters and the RDS identifier "
            f"{NAME_PREFIX}<stack>-rds takes only lower case; choose another stack name "
            "(`pulumi stack init NAME`)"
        )
    return None


def check_stack_name(stack: str) -> str:
    """``stack``, or :class:`StackNameError` saying the rule."""
    if (problem := stack_name_problem(stack)) is not None:
        raise StackNameError(problem)
    return stack
