"""IAM and resource policy documents, as the JSON strings AWS takes.

Statements may hold Outputs (an ARN not known until the resource exists):
`pulumi.Output.json_dumps` waits for them, so no component writes its own `apply` around
`json.dumps`.
"""

import json
from collections.abc import Mapping
from typing import Any

import pulumi

# Without it AWS reads the 2008 language, which lacks policy variables.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
POLICY_VERSION = "2012-10-17"


def policy_document(*statements: Mapping[str, Any]) -> pulumi.Output[str]:
    return pulumi.Output.json_dumps({"Version": POLICY_VERSION, "Statement": list(statements)})


def assume_role_policy(service: str) -> str:
    """Trust policy that lets one AWS service principal (``ecs-tasks.amazonaws.com``...) assume a
    role."""
    return json.dumps(
        {
            "Version": POLICY_VERSION,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
