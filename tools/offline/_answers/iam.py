"""IAM: rendered policy documents, roles, users, managed policies, access keys."""

import json
from collections.abc import Mapping
from typing import Any

from tools.offline._answers._common import (
    Account,
    DataSourceAnswer,
    ResourceAnswer,
    physical_name,
    short_hash,
)


def render_policy_document(args: Mapping[str, Any]) -> str:
    """What ``aws.iam.get_policy_document`` returns, built from its arguments."""

    def values(block: Mapping[str, Any], key: str) -> list[Any]:
        found = block.get(key) or []
        return list(found)

    statements = []
    for block in args.get("statements") or []:
        statement: dict[str, Any] = {}
        if block.get("sid"):
            statement["Sid"] = block["sid"]
        statement["Effect"] = block.get("effect") or "Allow"
        for key, name in (("actions", "Action"), ("notActions", "NotAction")):
            if values(block, key):
                statement[name] = sorted(values(block, key))
        for key, name in (("resources", "Resource"), ("notResources", "NotResource")):
            if values(block, key):
                statement[name] = sorted(values(block, key))
        for key, name in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
            if values(block, key):
                principal: dict[str, list[str]] = {}
                for entry in values(block, key):
                    principal.setdefault(entry["type"], []).extend(entry["identifiers"])
                statement[name] = principal
        if values(block, "conditions"):
            condition: dict[str, dict[str, list[str]]] = {}
            for entry in values(block, "conditions"):
                condition.setdefault(entry["test"], {})[entry["variable"]] = list(entry["values"])
            statement["Condition"] = condition
        statements.append(statement)
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


def _policy_document(account: Account, args: dict) -> dict:
    document = render_policy_document(args)
    return {"json": document, "minifiedJson": document, "id": short_hash(document)}


def _role(account: Account, name: str, inputs: dict, short: str) -> dict:
    role_name = physical_name(name, inputs, short)
    return {
        "name": role_name,
        "id": role_name,
        "arn": f"arn:aws:iam::{account.account_id}:role/{role_name}",
        "uniqueId": f"AROA{short.upper()}",
    }


def _user(account: Account, name: str, inputs: dict, short: str) -> dict:
    user_name = physical_name(name, inputs, short)
    return {
        "name": user_name,
        "id": user_name,
        "arn": f"arn:aws:iam::{account.account_id}:user/{user_name}",
    }


def _policy(account: Account, name: str, inputs: dict, short: str) -> dict:
    policy_name = physical_name(name, inputs, short)
    arn = f"arn:aws:iam::{account.account_id}:policy/{policy_name}"
    return {"name": policy_name, "id": arn, "arn": arn}


def _access_key(account: Account, name: str, inputs: dict, short: str) -> dict:
    return {
        "id": f"AKIA{short.upper()[:16]}",
        "secret": f"mock-secret-access-key-{short}",
        "sesSmtpPasswordV4": f"mock-smtp-password-{short}",
        "status": "Active",
    }


DATA_SOURCES: dict[str, DataSourceAnswer] = {
    "aws:iam/getPolicyDocument:getPolicyDocument": _policy_document,
}

RESOURCES: dict[str, ResourceAnswer] = {
    "aws:iam/role:Role": _role,
    "aws:iam/user:User": _user,
    "aws:iam/policy:Policy": _policy,
    "aws:iam/accessKey:AccessKey": _access_key,
}
