"""How the application reaches either Postgres: a client group its server side accepts on one
port, and the application role's password with the DATABASE_URL made of it."""

from __future__ import annotations

import pulumi

from components.postgres.app_access import (
    ClientAccess,
    client_access_names,
    declare_app_credentials,
    declare_client_access,
)
from components.postgres.efs import NFS_ACCESS
from components.postgres.rds import POSTGRES_ACCESS
from tests.stack_runs import EGRESS_RULE, INGRESS_RULE, SECURITY_GROUP, run_component

SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"
ACCESS = ClientAccess(
    server="cache",
    protocol="redis",
    port=6379,
    client_description="Members may use the cache",
    server_description="The cache: its clients only",
    ingress_description="Redis from its clients",
    egress_description="Redis to the cache",
)


def test_the_names_keep_the_urns_each_database_component_has_always_had():
    efs, rds = client_access_names("pg", NFS_ACCESS), client_access_names("pg", POSTGRES_ACCESS)
    assert (efs.client_group, efs.server_group, efs.ingress, efs.egress) == (
        "pg-client-sg",
        "pg-efs-sg",
        "pg-efs-sg-in-nfs",
        "pg-client-sg-out-nfs",
    )
    assert (rds.client_group, rds.server_group, rds.ingress, rds.egress) == (
        "pg-client-sg",
        "pg-db-sg",
        "pg-db-sg-in-postgres",
        "pg-client-sg-out-postgres",
    )
    assert (NFS_ACCESS.port, POSTGRES_ACCESS.port) == (2049, 5432)


def test_the_server_accepts_the_port_from_the_client_group_and_the_client_sends_only_there():
    def program() -> None:
        client, server = declare_client_access("c", "vpc-1", ACCESS, pulumi.ResourceOptions())
        pulumi.export("client", client.id)
        pulumi.export("server", server.id)

    recording = run_component(program)
    client, server = recording.outputs["client"], recording.outputs["server"]
    groups = {group.name: group.inputs for group in recording.of_type(SECURITY_GROUP)}
    assert groups["c-client-sg"]["description"] == "Members may use the cache"
    assert groups["c-cache-sg"]["vpcId"] == "vpc-1"
    (ingress,) = recording.of_type(INGRESS_RULE)
    (egress,) = recording.of_type(EGRESS_RULE)
    assert (ingress.name, ingress.inputs["securityGroupId"]) == ("c-cache-sg-in-redis", server)
    assert ingress.inputs["referencedSecurityGroupId"] == client
    assert (egress.name, egress.inputs["securityGroupId"]) == ("c-client-sg-out-redis", client)
    assert egress.inputs["referencedSecurityGroupId"] == server
    assert {rule.inputs["fromPort"] for rule in (ingress, egress)} == {6379}


def test_the_url_holds_the_generated_password_and_each_is_its_own_secret():
    def program() -> None:
        app = declare_app_credentials(
            "db",
            "tw_user",
            lambda password: password.apply(lambda p: f"pg://u:{p}@h/d"),
            pulumi.ResourceOptions(),
        )
        pulumi.export("url", app.url)
        pulumi.export("arns", [app.password.arn, app.url_secret.arn])

    recording = run_component(program)
    (password,) = recording.of_type("random:index/randomPassword:RandomPassword")
    assert password.inputs["length"] == 40
    assert recording.outputs["url"] == f"pg://u:{password.outputs['result']}@h/d"
    stored = {version.inputs["secretString"] for version in recording.of_type(SECRET_VERSION)}
    assert stored == {password.outputs["result"], recording.outputs["url"]}
    assert len(set(recording.outputs["arns"])) == 2
