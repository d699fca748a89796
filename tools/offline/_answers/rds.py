"""RDS: DB instances, their subnet and parameter groups."""

from tools.offline._answers._common import Account, ResourceAnswer, physical_name


def _instance(account: Account, name: str, inputs: dict, short: str) -> dict:
    identifier = physical_name(name, inputs, short, key="identifier")
    address = f"{identifier}.c{short[:12]}.{account.region}.rds.amazonaws.com"
    port = int(inputs.get("port") or 5432)
    arn = f"arn:aws:rds:{account.region}:{account.account_id}:db:{identifier}"
    outputs = {
        "id": identifier,
        "identifier": identifier,
        "arn": arn,
        "address": address,
        "endpoint": f"{address}:{port}",
        "port": port,
        "resourceId": f"db-{short.upper()}",
    }
    if inputs.get("manageMasterUserPassword"):
        # RDS names the secret it manages rds!db-<uuid>.
        prefix = f"arn:aws:secretsmanager:{account.region}:{account.account_id}:secret"
        secret = f"{prefix}:rds!db-{short}-AbCdEf"
        outputs["masterUserSecrets"] = [
            {"secretArn": secret, "secretStatus": "active", "kmsKeyId": "alias/aws/secretsmanager"}
        ]
    return outputs


def _named(kind: str) -> ResourceAnswer:
    def outputs(account: Account, name: str, inputs: dict, short: str) -> dict:
        value = physical_name(name, inputs, short)
        arn = f"arn:aws:rds:{account.region}:{account.account_id}:{kind}:{value}"
        return {"id": value, "name": value, "arn": arn}

    return outputs


RESOURCES: dict[str, ResourceAnswer] = {
    "aws:rds/instance:Instance": _instance,
    "aws:rds/subnetGroup:SubnetGroup": _named("subgrp"),
    "aws:rds/parameterGroup:ParameterGroup": _named("pg"),
}
