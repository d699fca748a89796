"""A component's type token and the tokens it had before.

Every component's token is ``django-tw:<domain>:<Class>``, a constant beside the class
(``COMPONENT_TYPE``): the domain is the folder the module lives in (``network``, ``fargate``,
``postgres``...), so moving a file within its folder changes no token. A token is part of every
URN under the component: renaming a domain or a class would make `pulumi up` replace the
component's resources, so the component is registered with an alias to each former token
(``FORMER_COMPONENT_TYPES``) and Pulumi moves the resources instead (children follow their
parent's alias: pulumi/pulumi
sdk/python/lib/pulumi/runtime/resource.py, ``inherited_child_alias``).
"""

import pulumi


def with_former_types(
    opts: pulumi.ResourceOptions | None, *former_types: str
) -> pulumi.ResourceOptions:
    """The caller's options plus an alias to each former type token (the same name and parent)."""
    former = pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=t) for t in former_types])
    return pulumi.ResourceOptions.merge(opts, former)
