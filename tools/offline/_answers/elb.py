"""Elastic Load Balancing: load balancers, target groups, the regional ELB account."""

from tools.offline._answers._common import Account, DataSourceAnswer, ResourceAnswer, physical_name


def _service_account(account: Account, args: dict) -> dict:
    return {"arn": "arn:aws:iam::582318560864:root", "id": "582318560864"}


def _load_balancer(account: Account, name: str, inputs: dict, short: str) -> dict:
    lb_name = physical_name(name, inputs, short)
    arn = (
        f"arn:aws:elasticloadbalancing:{account.region}:{account.account_id}"
        f":loadbalancer/app/{lb_name}/{short[:16]}"
    )
    return {
        "id": arn,
        "arn": arn,
        "arnSuffix": f"app/{lb_name}/{short[:16]}",
        "name": lb_name,
        "dnsName": f"{lb_name}-{short[:10]}.{account.region}.elb.amazonaws.com",
        "zoneId": "Z14GRHDCWA56QT",
    }


def _target_group(account: Account, name: str, inputs: dict, short: str) -> dict:
    tg_name = physical_name(name[:20], inputs, short)
    arn = (
        f"arn:aws:elasticloadbalancing:{account.region}:{account.account_id}"
        f":targetgroup/{tg_name}/{short[:16]}"
    )
    return {"id": arn, "arn": arn, "arnSuffix": f"targetgroup/{tg_name}/{short[:16]}"}


DATA_SOURCES: dict[str, DataSourceAnswer] = {
    "aws:elb/getServiceAccount:getServiceAccount": _service_account,
}

RESOURCES: dict[str, ResourceAnswer] = {
    "aws:lb/loadBalancer:LoadBalancer": _load_balancer,
    "aws:lb/targetGroup:TargetGroup": _target_group,
}
