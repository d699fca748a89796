"""EndpointSet: private access to AWS services for subnets without a route to the internet.

The set of endpoints is derived, never hand-listed: each component says which services it
reaches (``required_endpoints``) and :func:`required_endpoints_of` takes the union. The
catalog below says why each endpoint exists and where that is documented, and also records
the endpoints people add by habit that this stack does not need.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components._shared.iam import policy_document
from components.fargate.types import EgressRule
from components.network.endpoint_policies import (
    interface_policy_statements,
    s3_gateway_policy_statements,
)
from components.network.security_groups import allow_tcp_in, security_group

COMPONENT_TYPE = "django-tw:network:EndpointSet"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = ("django-tw:endpoint_set:EndpointSet",)

ECS_VPC_ENDPOINTS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html"
ECR_VPC_ENDPOINTS = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html"
ENDPOINT_POLICIES = "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html"


@dataclass(frozen=True)
class EndpointInfo:
    """Why an AWS service gets a VPC endpoint."""

    service: str
    """Service suffix of ``com.amazonaws.<region>.<service>``."""
    kind: str
    """``Gateway`` (free, a route in the route tables) or ``Interface`` (ENIs, billed per AZ)."""
    port: int | None
    """TCP port the interface endpoint's security group opens to the VPC (None: gateway)."""
    needed_for: str
    reason: str
    source: str
    takes_policy: bool = True
    """Whether the endpoint gets an endpoint policy (this account's principals only); False
    where the service is not reached with AWS-signed requests, so a policy sees no principal."""


ENDPOINT_CATALOG: dict[str, EndpointInfo] = {
    info.service: info
    for info in (
        EndpointInfo(
            "ecr.api",
            "Interface",
            443,
            "pulling private images",
            "Fargate calls the ECR API (GetAuthorizationToken, image manifests) before a pull.",
            ECR_VPC_ENDPOINTS,
        ),
        EndpointInfo(
            "ecr.dkr",
            "Interface",
            443,
            "pulling private images",
            "The Docker registry protocol of ECR; the image pull itself goes here.",
            ECR_VPC_ENDPOINTS,
        ),
        EndpointInfo(
            "s3",
            "Gateway",
            None,
            "image layers, media bucket",
            "ECR keeps image layers in S3, and without an internet gateway route the S3 "
            "*gateway* endpoint is required (an S3 interface endpoint cannot serve ECR). "
            "The media bucket uses the same route. Gateway endpoints cost nothing.",
            ECS_VPC_ENDPOINTS,
        ),
        EndpointInfo(
            "logs",
            "Interface",
            443,
            "awslogs log driver",
            "Containers log to CloudWatch Logs through the awslogs driver.",
            ECS_VPC_ENDPOINTS,
        ),
        EndpointInfo(
            "secretsmanager",
            "Interface",
            443,
            "task definition `secrets`",
            "Fargate reads Secrets Manager values when it starts the task and injects them.",
            ECS_VPC_ENDPOINTS,
        ),
        EndpointInfo(
            "ssmmessages",
            "Interface",
            443,
            "ECS Exec",
            "ECS Exec opens its session channels through Systems Manager's ssmmessages API "
            "(the four ssmmessages actions of the task role).",
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html",
            # The session channels are opened with a token of the Session Manager session, not
            # a request AWS signs as the task role: left with the default (full access) policy.
            takes_policy=False,
        ),
        EndpointInfo(
            "email-smtp",
            "Interface",
            587,
            "SES over SMTP",
            "Django sends mail to email-smtp.<region>.amazonaws.com with STARTTLS on 587; "
            "SMTP is not HTTPS, so this endpoint's port is 587, not 443.",
            "https://docs.aws.amazon.com/ses/latest/dg/send-email-set-up-vpc-endpoints.html ; "
            "ports: https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html",
            # SMTP authenticates with SMTP credentials, not AWS-signed requests.
            takes_policy=False,
        ),
    )
}

# Endpoints people add by habit and why this stack leaves them out.
NOT_NEEDED: dict[str, str] = {
    "ec2messages": (
        "Used by the SSM Agent on EC2 managed nodes to talk to Systems Manager; ECS Exec on "
        "Fargate only needs ssmmessages. "
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-setting-up-messageAPIs.html"
    ),
    "ssm": (
        "Only for SSM Parameter Store `secrets` or SSM-managed instances; this stack keeps "
        "secrets in Secrets Manager."
    ),
    "elasticfilesystem": (
        "The EFS interface endpoint serves the EFS *API* (create/describe file systems). "
        "Mounting goes over NFS (2049) to the mount targets, which are ENIs inside the VPC, "
        "so a Fargate task mounts EFS without it. "
        "https://docs.aws.amazon.com/efs/latest/ug/efs-vpc-endpoints.html ; "
        "https://docs.aws.amazon.com/efs/latest/ug/manage-fs-access.html"
    ),
    "ecs, ecs-agent, ecs-telemetry": (
        "Fargate tasks do not need the ECS interface endpoints (they are for the EC2 launch "
        f"type's container agent). {ECS_VPC_ENDPOINTS}"
    ),
}


# How a client's egress rule names each endpoint port: the protocol spoken on it, and whom it
# reaches there when a NAT gateway carries the traffic instead of an endpoint.
CLIENT_PORTS: dict[int, tuple[str, str]] = {443: ("HTTPS", "AWS"), 587: ("SMTP", "SES")}
# Gateway endpoints (S3) carry HTTPS, routed by the prefix list of the service's addresses.
GATEWAY_PORT = 443
ANYWHERE = "0.0.0.0/0"


class NeedsEndpoints(Protocol):
    """Anything that says which AWS services it reaches from the private subnets."""

    @property
    def required_endpoints(self) -> frozenset[str]: ...


def required_endpoints_of(*parts: NeedsEndpoints | None) -> frozenset[str]:
    """The union of what each part needs: the endpoint set is derived, never hand-listed.
    None stands for a part the stack leaves out (e.g. no mail) and needs nothing."""
    needed: set[str] = set()
    for part in parts:
        if part is not None:
            needed |= part.required_endpoints
    return frozenset(needed)


def client_egress_rules(
    services: Iterable[str],
    *,
    through_nat: bool,
    endpoint_group_id: pulumi.Input[str] | None,
    prefix_list_ids: Mapping[str, pulumi.Input[str]],
) -> list[EgressRule]:
    """What a client in the subnets must be allowed to open to reach ``services``.

    Through the endpoints: each interface port to the endpoints' security group, and HTTPS to
    each gateway service's prefix list. ``through_nat``: each of those ports to anywhere, as the
    NAT gateway carries everything but the gateway endpoints' routes. Ordered by port, the
    endpoints' group before the prefix lists.
    """
    wanted = sorted(set(services))
    _check_services(wanted)
    infos = [ENDPOINT_CATALOG[service] for service in wanted]
    rules = []
    for port in sorted({info.port or GATEWAY_PORT for info in infos}):
        protocol, reached_through_nat = CLIENT_PORTS[port]
        if through_nat:
            rules.append(
                EgressRule(port, f"{protocol} to {reached_through_nat} through NAT", cidr=ANYWHERE)
            )
            continue
        users = [info.service for info in infos if info.port == port]
        if users:
            if endpoint_group_id is None:
                raise ValueError(
                    f"client_egress_rules: {', '.join(users)} need the interface endpoints' "
                    "security group; pass endpoint_group_id (or through_nat=True)"
                )
            # One service: name it; several share the port, so name the group they share.
            to = users[0] if len(users) == 1 else "the VPC endpoints"
            rules.append(
                EgressRule(port, f"{protocol} to {to}", security_group_id=endpoint_group_id)
            )
        if port == GATEWAY_PORT:
            rules.extend(
                EgressRule(
                    port,
                    f"{protocol} to {info.service.upper()}",
                    prefix_list_id=prefix_list_ids[info.service],
                )
                for info in infos
                if info.kind == "Gateway"
            )
    return rules


def _check_services(services: Iterable[str]) -> None:
    unknown = sorted(set(services) - set(ENDPOINT_CATALOG))
    if unknown:
        raise ValueError(
            f"EndpointSetArgs.services has {', '.join(unknown)}, which the catalog does not "
            f"know; known: {', '.join(sorted(ENDPOINT_CATALOG))} (add an EndpointInfo with "
            "its reason and source to components/network/endpoint_set.py)"
        )


@dataclass(frozen=True)
class EndpointSetArgs:
    """Private access to AWS services for subnets without a NAT gateway."""

    vpc_id: pulumi.Input[str]
    """The VPC whose private subnets need the endpoints."""
    vpc_cidr: str
    """Interface endpoints accept connections from this CIDR only."""
    region: str
    """Region of the services (``com.amazonaws.<region>.<service>``)."""
    subnet_ids: Sequence[pulumi.Input[str]]
    """Private subnets, one per AZ, where interface endpoints get their ENIs."""
    route_table_ids: Sequence[pulumi.Input[str]]
    """Private route tables the gateway endpoints (S3) attach to."""
    services: Sequence[str]
    """Services to reach, e.g. ``required_endpoints_of(task, bucket)``; any collection of
    names, kept sorted and without repeats."""
    interface_az_count: int = 0
    """Put interface endpoint ENIs in only the first N subnets (0 = all). Each AZ costs
    money per endpoint; fewer AZs trade resilience of AWS access for cost."""
    gateway_only: bool = False
    """Create only the (free) gateway endpoints: a NAT gateway of the subnets carries the
    rest, and :attr:`EndpointSet.client_egress` opens the services' ports to anywhere."""
    allowed_bucket_arns: Sequence[pulumi.Input[str]] = ()
    """The S3 buckets (ARNs) the subnets may reach through the S3 gateway endpoint, besides
    ECR's image layers; any other bucket, another account's above all, is refused there."""

    def __post_init__(self) -> None:
        if isinstance(self.services, str):
            raise ValueError(
                f"EndpointSetArgs.services is the string {self.services!r}; give a list of "
                "service names, e.g. ['s3', 'logs']"
            )
        # A set from required_endpoints_of or a list from another language: one order, once each.
        object.__setattr__(self, "services", tuple(sorted(set(self.services))))
        _check_services(self.services)
        if not self.subnet_ids and not self.gateway_only:
            raise ValueError("EndpointSetArgs.subnet_ids is empty; pass the private subnets")
        if not 0 <= self.interface_az_count <= len(self.subnet_ids):
            raise ValueError(
                f"EndpointSetArgs.interface_az_count is {self.interface_az_count}; use 0 (every "
                f"subnet) up to {len(self.subnet_ids)} (the number of subnet_ids)"
            )

    @property
    def gateway_services(self) -> list[str]:
        return sorted(s for s in self.services if ENDPOINT_CATALOG[s].kind == "Gateway")

    @property
    def interface_services(self) -> list[str]:
        if self.gateway_only:
            return []
        return sorted(s for s in self.services if ENDPOINT_CATALOG[s].kind == "Interface")


class EndpointSet(pulumi.ComponentResource):
    """Gateway endpoints on the private route tables, interface endpoints in the private
    subnets with private DNS, behind one security group open to the VPC CIDR only."""

    endpoint_ids: dict[str, pulumi.Output[str]]
    """Service -> the id of its VPC endpoint."""
    prefix_list_ids: dict[str, pulumi.Output[str]]
    """Gateway service -> AWS prefix list of its addresses (for security group egress)."""
    security_group_id: pulumi.Output[str] | None
    """The interface endpoints' security group (None: gateway endpoints only)."""
    services: list[str]
    """The services that got an endpoint here, sorted."""

    def __init__(
        self, name: str, args: EndpointSetArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        self.endpoint_ids = {}
        self.prefix_list_ids = {}
        self.security_group_id = None
        account_id = aws.get_caller_identity(opts=pulumi.InvokeOptions(parent=self)).account_id

        for service in args.gateway_services:
            endpoint = aws.ec2.VpcEndpoint(
                f"{name}-{service}",
                vpc_id=args.vpc_id,
                service_name=f"com.amazonaws.{args.region}.{service}",
                vpc_endpoint_type="Gateway",
                route_table_ids=list(args.route_table_ids),
                policy=policy_document(
                    *s3_gateway_policy_statements(args.region, args.allowed_bucket_arns, account_id)
                ),
                tags={"Name": f"{name}-{service}"},
                opts=child,
            )
            self.endpoint_ids[service] = endpoint.id
            self.prefix_list_ids[service] = endpoint.prefix_list_id

        interface_services = args.interface_services
        if interface_services:
            group = security_group(
                f"{name}-sg",
                args.vpc_id,
                "Interface VPC endpoints: reachable from inside the VPC only",
                child,
            )
            ports = sorted({ENDPOINT_CATALOG[s].port or 443 for s in interface_services})
            for port in ports:
                users = [s for s in interface_services if ENDPOINT_CATALOG[s].port == port]
                allow_tcp_in(
                    f"{name}-sg-in-{port}",
                    group.id,
                    port,
                    f"{', '.join(users)} from the VPC",
                    child,
                    cidr_ipv4=args.vpc_cidr,
                )
            self.security_group_id = group.id
            limit = args.interface_az_count or len(args.subnet_ids)
            subnets = list(args.subnet_ids)[:limit]
            for service in interface_services:
                endpoint = aws.ec2.VpcEndpoint(
                    f"{name}-{service}",
                    vpc_id=args.vpc_id,
                    service_name=f"com.amazonaws.{args.region}.{service}",
                    vpc_endpoint_type="Interface",
                    private_dns_enabled=True,
                    policy=policy_document(*interface_policy_statements(account_id))
                    if ENDPOINT_CATALOG[service].takes_policy
                    else None,
                    subnet_ids=subnets,
                    security_group_ids=[group.id],
                    tags={"Name": f"{name}-{service}"},
                    opts=child,
                )
                self.endpoint_ids[service] = endpoint.id

        self.services = sorted(self.endpoint_ids)
        self._args = args
        self.register_outputs(
            {"endpoint_ids": self.endpoint_ids, "security_group_id": self.security_group_id}
        )

    @property
    def client_egress(self) -> list[EgressRule]:
        """The egress rules a client of these endpoints needs (e.g. ``FargateServiceArgs.egress``):
        only the ports and destinations of the services it asked for."""
        return client_egress_rules(
            self._args.services,
            through_nat=self._args.gateway_only,
            endpoint_group_id=self.security_group_id,
            prefix_list_ids=self.prefix_list_ids,
        )
