"""What either Postgres component gives the application to reach it: a client security group
that its server side accepts on one port, and the application role's generated password with
the ``DATABASE_URL`` built from it, each in Secrets Manager.

:class:`~components.postgres.efs.EfsPostgres` (NFS to the EFS mount targets) and
:class:`~components.postgres.rds.RdsPostgres` (Postgres to the instance) differ only in the
values of :class:`ClientAccess` and in how the URL is made of the password.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.network.security_groups import allow_tcp_in, allow_tcp_out, security_group
from components.storage.generated_secret import GeneratedSecret, GeneratedSecretArgs

PASSWORD_LENGTH = 40


@dataclass(frozen=True)
class ClientAccess:
    """One TCP port from the members of a client group to a server group, and nothing else."""

    server: str
    """The server group's part of the resource names (``{name}-{server}-sg``)."""
    protocol: str
    """The rules' part of the resource names (``...-in-{protocol}``, ``...-out-{protocol}``)."""
    port: int
    client_description: str
    server_description: str
    ingress_description: str
    """The server group's rule, from the clients."""
    egress_description: str
    """The client group's rule, to the server."""


@dataclass(frozen=True)
class ClientAccessNames:
    client_group: str
    server_group: str
    ingress: str
    egress: str


def client_access_names(name: str, access: ClientAccess) -> ClientAccessNames:
    """The four resources' names: they are part of each URN, so they never change."""
    return ClientAccessNames(
        client_group=f"{name}-client-sg",
        server_group=f"{name}-{access.server}-sg",
        ingress=f"{name}-{access.server}-sg-in-{access.protocol}",
        egress=f"{name}-client-sg-out-{access.protocol}",
    )


def declare_client_access(
    name: str, vpc_id: pulumi.Input[str], access: ClientAccess, opts: pulumi.ResourceOptions
) -> tuple[aws.ec2.SecurityGroup, aws.ec2.SecurityGroup]:
    """The (client, server) groups: the server accepts ``access.port`` from the client group
    only, and the client group may send to the server group on that port only."""
    names = client_access_names(name, access)
    client_group = security_group(names.client_group, vpc_id, access.client_description, opts)
    server_group = security_group(names.server_group, vpc_id, access.server_description, opts)
    allow_tcp_in(
        names.ingress,
        server_group.id,
        access.port,
        access.ingress_description,
        opts,
        referenced_security_group_id=client_group.id,
    )
    allow_tcp_out(
        names.egress,
        client_group.id,
        access.port,
        access.egress_description,
        opts,
        referenced_security_group_id=server_group.id,
    )
    return client_group, server_group


@dataclass(frozen=True)
class AppCredentials:
    password: GeneratedSecret
    """The application role's password."""
    url: pulumi.Output[str]
    """``DATABASE_URL`` with that password in it."""
    url_secret: GeneratedSecret
    """``DATABASE_URL`` in Secrets Manager, for the web container's ``secrets``."""


def declare_app_credentials(
    name: str,
    database_user: str,
    url_of: Callable[[pulumi.Output[str]], pulumi.Output[str]],
    opts: pulumi.ResourceOptions,
) -> AppCredentials:
    """A generated password for ``database_user`` and the ``DATABASE_URL`` ``url_of`` makes of
    it, each its own secret (the URL's value is the password's, never a second draw)."""
    password = GeneratedSecret(
        f"{name}-app-password",
        GeneratedSecretArgs(
            description=f"{name}: password of the application role {database_user}",
            length=PASSWORD_LENGTH,
        ),
        opts=opts,
    )
    url = url_of(password.value)
    url_secret = GeneratedSecret(
        f"{name}-url",
        GeneratedSecretArgs(description=f"{name}: DATABASE_URL of the web container", value=url),
        opts=opts,
    )
    return AppCredentials(password, url, url_secret)
