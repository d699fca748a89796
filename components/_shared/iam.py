"""IAM and resource policy documents, as the JSON strings AWS takes.

Statements may hold Outputs (an ARN not known until the resource exists):
`pulumi.Output.json_dumps` waits for them, so no component writes its own `apply` around
`json.dumps`.
"""

from collections.abc import Mapping
from typing import Any

import pulumi

# Without it AWS reads the 2008 language, which lacks policy variables.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
POLICY_VERSION = "2012-10-17"


def policy_document(*statements: Mapping[str, Any]) -> pulumi.Output[str]:
    return pulumi.Output.json_dumps({"Version": POLICY_VERSION, "Statement": list(statements)})


def service_trust_policy(
    service: str,
    source_account: pulumi.Input[str],
    source_arn_like: pulumi.Input[str] | None = None,
) -> pulumi.Output[str]:
    """Trust policy that lets one AWS service principal assume a role only on behalf of this
    account (``aws:SourceAccount``) and, where the service sets it, of resources matching
    ``source_arn_like`` (``aws:SourceArn``): the IAM confused-deputy guard
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)."""
    return policy_document(trust_statement(service, source_account, source_arn_like))


def trust_statement(
    service: str,
    source_account: pulumi.Input[str],
    source_arn_like: pulumi.Input[str] | None = None,
) -> dict[str, Any]:
    """The one statement of :func:`service_trust_policy`, as a plain value."""
    condition: dict[str, Any] = {"StringEquals": {"aws:SourceAccount": source_account}}
    if source_arn_like is not None:
        condition["ArnLike"] = {"aws:SourceArn": source_arn_like}
    return {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
