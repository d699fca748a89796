"""What the deploy role may do, per thing the program declares: one table, :data:`NEEDS`.

Each entry is a resource type (``aws:ecs/service:Service``), a remote component (``awsx:...``) or
a data source token (``aws:route53/getZone:getZone``), with the IAM actions the provider calls
to create, read (refresh), update, tag and delete it, the service-linked role AWS creates the
first time an account uses that service, and the provider code those calls were read from
(:attr:`Needs.source`). ``tools.plan.deploy_role`` builds the policies from the entries the program
really uses; a type missing here stops it, so a new resource type cannot reach `pulumi up`
without its permissions. One module per group of AWS services.

Action names: the Service Authorization Reference,
https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
"""

from __future__ import annotations

from tools.plan.deploy_actions import containers, edge, identity, mail, network, operations, storage
from tools.plan.deploy_actions.needs import Needs

__all__ = ["NEEDS", "Needs"]

_TABLES = (identity, network, edge, containers, storage, operations, mail)
NEEDS: dict[str, Needs] = {}
for _table in _TABLES:
    if _overlap := set(NEEDS) & set(_table.NEEDS):
        raise ValueError(f"{sorted(_overlap)} listed twice in tools/plan/deploy_actions")
    NEEDS.update(_table.NEEDS)
