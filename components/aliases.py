"""A component's type token and the tokens it had before.

Every component's token is ``django-tw:<module>:<Class>``, so a URN names the file that
declares it. A token is part of every URN under the component: renaming a module or a class
would make `pulumi up` replace the component's resources, so the component is registered with an
alias to each former token and Pulumi moves the resources instead (children follow their
parent's alias).
"""

import pulumi


def with_former_types(
    opts: pulumi.ResourceOptions | None, *former_types: str
) -> pulumi.ResourceOptions:
    """The caller's options plus an alias to each former type token (the same name and parent)."""
    former = pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=t) for t in former_types])
    return pulumi.ResourceOptions.merge(opts, former)
