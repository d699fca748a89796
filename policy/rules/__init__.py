"""The rules, one module per AWS service; each rule is declared at its check.

Importing this package declares every rule into :data:`policy.model.REGISTRY`. The import
order below is the order reports list the rules in (FSBP controls by service, then this
project's own), so a new service module goes in this list.
"""

from policy.rules import ecs, efs, elb, s3, ec2, iam, ecr, logs, cloudwatch, project  # noqa: F401, I001
