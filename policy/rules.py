"""The security rules of django-tw, as plain functions over engine-style resources.

A resource is what the Pulumi engine hands a policy pack (and what the recording mocks
capture): a type token such as ``aws:ecs/taskDefinition:TaskDefinition`` and its properties
with camelCase keys, ``containerDefinitions`` as a JSON string. Nothing here imports Pulumi,
so the unit tests and ``python -m plan`` call the rules directly, while ``policy/__main__.py``
wraps the same functions in a ``PolicyPack`` for ``pulumi preview --policy-pack policy``.

Rule IDs are the AWS Foundational Security Best Practices (FSBP) control IDs where one exists
(https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html); ``DJTW.*`` rules
are this project's own.

Two kinds of rule:
- a resource rule looks at one resource at a time (``check(type, props) -> messages``);
- a stack rule needs several resources together, e.g. a bucket and its public access block
  (``check(resources) -> [(resource or None, message)]``).
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

MANDATORY_DOC = "https://docs.aws.amazon.com/securityhub/latest/userguide/"


class Enforcement(StrEnum):
    MANDATORY = "mandatory"
    ADVISORY = "advisory"


# --- resource types (pulumi-aws 7 tokens; the aws:alb aliases name the same AWS resources) ---
ECS_CLUSTER = "aws:ecs/cluster:Cluster"
ECS_SERVICE = "aws:ecs/service:Service"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
EFS_FILE_SYSTEM = "aws:efs/fileSystem:FileSystem"
EFS_BACKUP_POLICY = "aws:efs/backupPolicy:BackupPolicy"
EFS_ACCESS_POINT = "aws:efs/accessPoint:AccessPoint"
EFS_MOUNT_TARGET = "aws:efs/mountTarget:MountTarget"
BACKUP_PLAN = "aws:backup/plan:Plan"
BACKUP_SELECTION = "aws:backup/selection:Selection"
LOAD_BALANCERS = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
LISTENERS = ("aws:lb/listener:Listener", "aws:alb/listener:Listener")
BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
BUCKET_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_ACLS = ("aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2")
VPC = "aws:ec2/vpc:Vpc"
DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SUBNET = "aws:ec2/subnet:Subnet"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
NAT_GATEWAY = "aws:ec2/natGateway:NatGateway"
IAM_POLICY = "aws:iam/policy:Policy"
IAM_ROLE = "aws:iam/role:Role"
IAM_INLINE_POLICIES = (
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
)
IAM_ATTACHMENTS = (
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
)
ECR_REPOSITORY = "aws:ecr/repository:Repository"
AWSX_ECR_REPOSITORY = "awsx:ecr:Repository"
ECR_LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
ECR_REGISTRY_SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
SCALING_TARGET = "aws:appautoscaling/target:Target"


@dataclass(frozen=True)
class Resource:
    """One resource of a stack as the rules see it (engine-style: type token + camelCase props)."""

    type: str
    name: str
    props: Mapping[str, Any]
    urn: str = ""
    parent: str | None = None


ResourceCheck = Callable[[str, Mapping[str, Any]], list[str]]
StackCheck = Callable[[Sequence[Resource]], list[tuple[Resource | None, str]]]


@dataclass(frozen=True)
class Rule:
    """One rule: an ID (FSBP control or DJTW.*), what it demands, and its check."""

    id: str
    title: str
    enforcement: Enforcement
    resource_types: tuple[str, ...]
    """Types a resource rule applies to; for a stack rule, the types it reads (for reports)."""
    check_resource: ResourceCheck | None = None
    check_stack: StackCheck | None = None
    remediation: str = ""

    @property
    def policy_name(self) -> str:
        """The name in the policy pack: lower-case, dots to dashes (``ecs-2``)."""
        return self.id.lower().replace(".", "-").replace("/", "-")

    @property
    def url(self) -> str | None:
        if self.id.startswith("DJTW"):
            return None
        service = self.id.split(".")[0].split("/")[0].lower()
        number = self.id.split(".")[1].split("/")[0]
        return f"{MANDATORY_DOC}{service}-controls.html#{service}-{number}"


@dataclass(frozen=True)
class Finding:
    rule: Rule
    resource: str  # resource name, or "" for the stack as a whole
    message: str


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    checked: int  # resources the rule looked at
    findings: tuple[Finding, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return not self.findings


# --- small readers of engine-style properties ------------------------------------------------


def as_list(value: Any) -> list[Any]:
    """A property that may be absent, one value or a list, as a list."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _json(value: Any) -> Any:
    """A JSON document that may arrive as a string (engine) or already parsed (tests, awsx)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return value


def containers(props: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The container definitions of a task definition's props."""
    parsed = _json(props.get("containerDefinitions"))
    return [c for c in as_list(parsed) if isinstance(c, dict)]


def _is_linux(props: Mapping[str, Any]) -> bool:
    family = str((props.get("runtimePlatform") or {}).get("operatingSystemFamily") or "LINUX")
    return not family.upper().startswith("WINDOWS")


def _identifiers(resource: Resource) -> set[str]:
    """Every value another resource may use to point at ``resource`` (id, arn, name...)."""
    keys = ("id", "arn", "name", "bucket", "fileSystemId", "repositoryName")
    values = {str(resource.props[k]) for k in keys if resource.props.get(k)}
    values.add(resource.name)
    if resource.urn:
        values.add(resource.urn)
    return values


def _refers_to(value: Any, target: Resource) -> bool:
    return value is not None and str(value) in _identifiers(target)


def _of_type(resources: Iterable[Resource], *types: str) -> list[Resource]:
    return [r for r in resources if r.type in types]


# --- ECS ------------------------------------------------------------------------------------


def check_ecs_2_no_public_ip(_type: str, props: Mapping[str, Any]) -> list[str]:
    network = props.get("networkConfiguration") or {}
    if network.get("assignPublicIp") in (True, "true", "ENABLED"):
        return ["the service gives its tasks public IP addresses (assignPublicIp: true)"]
    return []


def check_ecs_4_not_privileged(_type: str, props: Mapping[str, Any]) -> list[str]:
    return [
        f"container {c.get('name')!r} runs privileged"
        for c in containers(props)
        if c.get("privileged") is True
    ]


def check_ecs_5_read_only_root(_type: str, props: Mapping[str, Any]) -> list[str]:
    return [
        f"container {c.get('name')!r} has a writable root file system"
        for c in containers(props)
        if c.get("readonlyRootFilesystem") is not True
    ]


# Exact names FSBP ECS.8 looks for, then the name and value shapes this project also refuses.
# https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-8
ECS8_NAMES = frozenset({"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"})
SECRET_NAME = re.compile(
    r"(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)", re.IGNORECASE
)
SECRET_VALUES = (
    (re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"), "a URL with a password in it"),
    (re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"), "an AWS access key id"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
)


def _is_reference(value: str) -> bool:
    """A value that names where a secret lives (an ARN), not the secret itself."""
    return value == "" or value.startswith("arn:")


def check_ecs_8_no_secrets_in_environment(_type: str, props: Mapping[str, Any]) -> list[str]:
    messages = []
    for container in containers(props):
        for variable in as_list(container.get("environment")):
            name = str(variable.get("name", ""))
            value = str(variable.get("value", ""))
            where = f"container {container.get('name')!r} environment {name}"
            if name in ECS8_NAMES:
                messages.append(f"{where}: AWS credentials belong to the task role, not env vars")
            elif SECRET_NAME.search(name) and not _is_reference(value):
                messages.append(f"{where}: secret-looking name; pass it in `secrets` instead")
            else:
                messages.extend(
                    f"{where}: the value looks like {what}; pass it in `secrets` instead"
                    for pattern, what in SECRET_VALUES
                    if pattern.search(value)
                )
    return messages


def check_ecs_9_logging(_type: str, props: Mapping[str, Any]) -> list[str]:
    return [
        f"container {c.get('name')!r} has no logConfiguration"
        for c in containers(props)
        if not (c.get("logConfiguration") or {}).get("logDriver")
    ]


def check_ecs_12_container_insights(_type: str, props: Mapping[str, Any]) -> list[str]:
    for setting in as_list(props.get("settings")):
        if setting.get("name") == "containerInsights" and setting.get("value") in (
            "enabled",
            "enhanced",
        ):
            return []
    return ["the cluster does not turn on Container Insights"]


def check_ecs_18_efs_in_transit(_type: str, props: Mapping[str, Any]) -> list[str]:
    messages = []
    for volume in as_list(props.get("volumes")):
        efs = volume.get("efsVolumeConfiguration")
        if efs and str(efs.get("transitEncryption", "")).upper() != "ENABLED":
            messages.append(f"EFS volume {volume.get('name')!r} does not encrypt in transit")
    return messages


_ROOT_USERS = re.compile(r"^(root|0)(:.*)?$")


def check_ecs_20_non_root_user(_type: str, props: Mapping[str, Any]) -> list[str]:
    if not _is_linux(props):
        return []
    messages = []
    for container in containers(props):
        user = str(container.get("user") or "")
        if not user:
            messages.append(f"container {container.get('name')!r} sets no `user` (runs as root)")
        elif _ROOT_USERS.match(user):
            messages.append(f"container {container.get('name')!r} runs as {user!r}")
    return messages


# --- EFS ------------------------------------------------------------------------------------


def check_efs_1_encrypted(_type: str, props: Mapping[str, Any]) -> list[str]:
    if props.get("encrypted") is not True:
        return ["the file system is not encrypted at rest (encrypted: true)"]
    return []


def _in_backup_plan(file_system: Resource, resources: Sequence[Resource]) -> bool:
    """An AWS Backup selection of a plan in this stack names the file system (ARN or pattern)."""
    plans = _of_type(resources, BACKUP_PLAN)
    arn = str(file_system.props.get("arn", ""))
    for selection in _of_type(resources, BACKUP_SELECTION):
        if not any(_refers_to(selection.props.get("planId"), plan) for plan in plans):
            continue
        if any(
            arn and fnmatch.fnmatchcase(arn, str(p))
            for p in as_list(selection.props.get("resources"))
        ):
            return True
    return False


def check_efs_2_backups(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    """FSBP EFS.2 asks that the file system is in an AWS Backup plan: either the file system's own
    automatic backups (backup policy ENABLED, which uses AWS Backup's default plan) or a backup
    selection of a plan that names it."""
    policies = _of_type(resources, EFS_BACKUP_POLICY)
    findings: list[tuple[Resource | None, str]] = []
    for file_system in _of_type(resources, EFS_FILE_SYSTEM):
        automatic = any(
            _refers_to(p.props.get("fileSystemId"), file_system)
            and str((p.props.get("backupPolicy") or {}).get("status", "")).upper() == "ENABLED"
            for p in policies
        )
        if not automatic and not _in_backup_plan(file_system, resources):
            findings.append(
                (file_system, "in no AWS Backup plan (no selection names it, no backup policy)")
            )
    return findings


def check_efs_3_root_directory(_type: str, props: Mapping[str, Any]) -> list[str]:
    path = str((props.get("rootDirectory") or {}).get("path") or "/")
    if path == "/":
        return ["the access point does not enforce a root directory below /"]
    return []


def check_efs_4_posix_user(_type: str, props: Mapping[str, Any]) -> list[str]:
    user = props.get("posixUser") or {}
    if user.get("uid") is None or user.get("gid") is None:
        return ["the access point does not enforce a POSIX user (posixUser uid/gid)"]
    return []


def check_efs_6_private_mount_targets(
    resources: Sequence[Resource],
) -> list[tuple[Resource | None, str]]:
    subnets = _of_type(resources, SUBNET)
    findings: list[tuple[Resource | None, str]] = []
    for target in _of_type(resources, EFS_MOUNT_TARGET):
        subnet_id = target.props.get("subnetId")
        subnet = next((s for s in subnets if _refers_to(subnet_id, s)), None)
        if subnet is None:
            findings.append((target, f"subnet {subnet_id!r} is not a subnet of this stack"))
        elif subnet.props.get("mapPublicIpOnLaunch") is True:
            findings.append((target, f"subnet {subnet.name} assigns public IPs on launch"))
    return findings


# --- Load balancing -------------------------------------------------------------------------


def check_elb_1_http_redirects(_type: str, props: Mapping[str, Any]) -> list[str]:
    if str(props.get("protocol", "")).upper() != "HTTP":
        return []
    actions = as_list(props.get("defaultActions"))
    redirects = [
        a
        for a in actions
        if a.get("type") == "redirect"
        and str((a.get("redirect") or {}).get("protocol", "")).upper() == "HTTPS"
    ]
    if not actions or len(redirects) != len(actions):
        return [f"HTTP listener on port {props.get('port')} does not redirect to HTTPS"]
    return []


def _is_application(props: Mapping[str, Any]) -> bool:
    return str(props.get("loadBalancerType") or "application") == "application"


def check_elb_4_drop_invalid_headers(_type: str, props: Mapping[str, Any]) -> list[str]:
    if _is_application(props) and props.get("dropInvalidHeaderFields") is not True:
        return ["the ALB does not drop invalid HTTP header fields"]
    return []


def check_elb_6_deletion_protection(_type: str, props: Mapping[str, Any]) -> list[str]:
    if props.get("enableDeletionProtection") is not True:
        return ["deletion protection is off"]
    return []


def check_elb_13_multi_az(_type: str, props: Mapping[str, Any]) -> list[str]:
    zones = len(as_list(props.get("subnets"))) or len(as_list(props.get("subnetMappings")))
    if zones < 2:
        return [f"the load balancer spans {zones} AZ(s); it needs at least 2"]
    return []


# FSBP ELB.17's list of recommended policies, plus the post-quantum 2025-09 variants.
# https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-17
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
RECOMMENDED_SSL_POLICIES = frozenset(
    {
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    }
)


def check_elb_17_ssl_policy(_type: str, props: Mapping[str, Any]) -> list[str]:
    if str(props.get("protocol", "")).upper() not in ("HTTPS", "TLS"):
        return []
    policy = props.get("sslPolicy")
    if policy not in RECOMMENDED_SSL_POLICIES:
        return [f"listener uses SSL policy {policy!r}; use ELBSecurityPolicy-TLS13-1-2-2021-06"]
    return []


# --- S3 -------------------------------------------------------------------------------------


def _bucket_companions(
    resources: Sequence[Resource], kind: str | tuple[str, ...]
) -> list[tuple[Resource, list[Resource]]]:
    kinds = (kind,) if isinstance(kind, str) else kind
    companions = _of_type(resources, *kinds)
    return [
        (bucket, [c for c in companions if _refers_to(c.props.get("bucket"), bucket)])
        for bucket in _of_type(resources, *BUCKETS)
    ]


_PUBLIC_ACCESS_FLAGS = (
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
)


def check_s3_8_block_public_access(
    resources: Sequence[Resource],
) -> list[tuple[Resource | None, str]]:
    findings: list[tuple[Resource | None, str]] = []
    for bucket, blocks in _bucket_companions(resources, BUCKET_PUBLIC_ACCESS_BLOCK):
        if not any(all(b.props.get(flag) is True for flag in _PUBLIC_ACCESS_FLAGS) for b in blocks):
            findings.append((bucket, "no public access block with all four settings true"))
    return findings


def _statements(document: Any) -> list[dict[str, Any]]:
    parsed = _json(document) or {}
    return [s for s in as_list(parsed.get("Statement")) if isinstance(s, dict)]


def _denies_plain_http(document: Any) -> bool:
    for statement in _statements(document):
        condition = statement.get("Condition") or {}
        secure = (condition.get("Bool") or {}).get("aws:SecureTransport")
        if statement.get("Effect") == "Deny" and str(secure).lower() == "false":
            return True
    return False


def check_s3_5_ssl_only(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    findings: list[tuple[Resource | None, str]] = []
    for bucket, policies in _bucket_companions(resources, BUCKET_POLICY):
        if not any(_denies_plain_http(p.props.get("policy")) for p in policies):
            findings.append(
                (bucket, "no bucket policy denies requests with aws:SecureTransport false")
            )
    return findings


def check_s3_12_no_acls(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    # Since April 2023 new buckets default to BucketOwnerEnforced (ACLs off); a stack fails
    # only when it turns ACLs back on.
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
    findings: list[tuple[Resource | None, str]] = []
    for bucket, controls in _bucket_companions(resources, BUCKET_OWNERSHIP):
        for control in controls:
            rule = as_list(control.props.get("rule"))
            ownership = (rule[0] if rule else {}).get("objectOwnership")
            if ownership != "BucketOwnerEnforced":
                findings.append((bucket, f"object ownership {ownership!r} re-enables ACLs"))
        if bucket.props.get("acl") or bucket.props.get("grants"):
            findings.append((bucket, "the bucket sets an ACL"))
    for bucket, acls in _bucket_companions(resources, BUCKET_ACLS):
        if acls:
            findings.append((bucket, "a BucketAcl resource manages access with ACLs"))
    return findings


# --- EC2 / VPC ------------------------------------------------------------------------------


def check_ec2_2_default_sg_closed(
    resources: Sequence[Resource],
) -> list[tuple[Resource | None, str]]:
    defaults = _of_type(resources, DEFAULT_SECURITY_GROUP)
    findings: list[tuple[Resource | None, str]] = []
    for vpc in _of_type(resources, VPC):
        mine = [d for d in defaults if _refers_to(d.props.get("vpcId"), vpc)]
        if not mine:
            findings.append(
                (vpc, "the VPC's default security group is not managed (adopt it with no rules)")
            )
        for group in mine:
            if as_list(group.props.get("ingress")) or as_list(group.props.get("egress")):
                findings.append((group, "the default security group has rules"))
    return findings


def check_ec2_15_no_auto_public_ip(_type: str, props: Mapping[str, Any]) -> list[str]:
    if props.get("mapPublicIpOnLaunch") is True:
        return ["the subnet assigns public IPv4 addresses on launch"]
    return []


_ANYWHERE = frozenset({"0.0.0.0/0", "::/0"})


@dataclass(frozen=True)
class _Ingress:
    protocol: str
    from_port: int
    to_port: int
    sources: frozenset[str]

    @property
    def open_to_world(self) -> bool:
        return bool(self.sources & _ANYWHERE)

    @property
    def all_ports(self) -> bool:
        return self.protocol in ("-1", "all") or (self.from_port <= 0 and self.to_port >= 65535)

    def covers(self, port: int) -> bool:
        return self.all_ports or self.from_port <= port <= self.to_port

    def describe(self) -> str:
        ports = "all ports" if self.all_ports else f"ports {self.from_port}-{self.to_port}"
        return f"{self.protocol} {ports} from {', '.join(sorted(self.sources & _ANYWHERE))}"


def _port(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _ingress(rule: Mapping[str, Any], protocol: str, ipv4: str, ipv6: str) -> _Ingress:
    """One ingress rule; the resource types name the protocol and CIDR fields differently."""
    return _Ingress(
        str(rule.get(protocol, "")).lower(),
        _port(rule.get("fromPort"), 0),
        _port(rule.get("toPort"), 65535),
        frozenset(as_list(rule.get(ipv4)) + as_list(rule.get(ipv6))),
    )


def _ingresses(resource_type: str, props: Mapping[str, Any]) -> list[_Ingress]:
    if resource_type == SECURITY_GROUP:
        return [
            _ingress(rule, "protocol", "cidrBlocks", "ipv6CidrBlocks")
            for rule in as_list(props.get("ingress"))
        ]
    if resource_type == SECURITY_GROUP_RULE and props.get("type") == "ingress":
        return [_ingress(props, "protocol", "cidrBlocks", "ipv6CidrBlocks")]
    if resource_type == INGRESS_RULE:
        return [_ingress(props, "ipProtocol", "cidrIpv4", "cidrIpv6")]
    return []


AUTHORIZED_PUBLIC_PORTS = frozenset({80, 443})


def check_ec2_18_public_ports(resource_type: str, props: Mapping[str, Any]) -> list[str]:
    messages = []
    for ingress in _ingresses(resource_type, props):
        if not ingress.open_to_world:
            continue
        ports_ok = (
            not ingress.all_ports
            and ingress.protocol in ("tcp", "6")
            and all(
                p in AUTHORIZED_PUBLIC_PORTS for p in range(ingress.from_port, ingress.to_port + 1)
            )
        )
        if not ports_ok:
            messages.append(
                f"ingress {ingress.describe()}: only TCP 80/443 may be open to the world"
            )
    return messages


# FSBP EC2.19's high-risk ports.
# https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19
HIGH_RISK_PORTS = (
    20,
    21,
    22,
    23,
    25,
    110,
    135,
    143,
    445,
    1433,
    1434,
    3000,
    3306,
    3389,
    4333,
    5000,
    5432,
    5500,
    5601,
    8080,
    8088,
    8888,
    9200,
    9300,
)


def check_ec2_19_high_risk_ports(resource_type: str, props: Mapping[str, Any]) -> list[str]:
    messages = []
    for ingress in _ingresses(resource_type, props):
        if ingress.open_to_world:
            exposed = [p for p in HIGH_RISK_PORTS if ingress.covers(p)]
            if exposed:
                messages.append(
                    f"ingress {ingress.describe()} opens high-risk ports "
                    + ", ".join(map(str, exposed))
                )
    return messages


# --- IAM ------------------------------------------------------------------------------------


def _policy_documents(resource_type: str, props: Mapping[str, Any]) -> list[Any]:
    if resource_type == IAM_POLICY or resource_type in IAM_INLINE_POLICIES:
        return [props.get("policy")]
    if resource_type == IAM_ROLE:
        return [
            p.get("policy") for p in as_list(props.get("inlinePolicies")) if isinstance(p, dict)
        ]
    return []


def _allow_statements(resource_type: str, props: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        s
        for document in _policy_documents(resource_type, props)
        for s in _statements(document)
        if s.get("Effect") == "Allow"
    ]


def check_iam_1_no_full_admin(resource_type: str, props: Mapping[str, Any]) -> list[str]:
    if resource_type in IAM_ATTACHMENTS and str(props.get("policyArn", "")).endswith(
        ":policy/AdministratorAccess"
    ):
        return ["attaches AdministratorAccess"]
    return [
        "a statement allows Action * on Resource *"
        for s in _allow_statements(resource_type, props)
        if "*" in as_list(s.get("Action")) and "*" in as_list(s.get("Resource"))
    ]


def check_iam_21_no_service_wildcards(resource_type: str, props: Mapping[str, Any]) -> list[str]:
    messages = []
    for statement in _allow_statements(resource_type, props):
        for action in as_list(statement.get("Action")):
            if action == "*" or str(action).endswith(":*"):
                messages.append(f"allows the wildcard action {action!r}; list the actions")
        if statement.get("NotAction"):
            messages.append("an Allow statement uses NotAction (allows everything else)")
    return messages


# --- ECR ------------------------------------------------------------------------------------


def _repositories(resources: Sequence[Resource]) -> list[Resource]:
    return _of_type(resources, ECR_REPOSITORY, AWSX_ECR_REPOSITORY)


def check_ecr_1_scan_on_push(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    if _of_type(resources, ECR_REGISTRY_SCANNING):
        return []  # registry-wide scanning covers every repository
    return [
        (repo, "image scanning on push is off")
        for repo in _repositories(resources)
        if (repo.props.get("imageScanningConfiguration") or {}).get("scanOnPush") is not True
    ]


def check_ecr_2_immutable_tags(_type: str, props: Mapping[str, Any]) -> list[str]:
    if not str(props.get("imageTagMutability") or "MUTABLE").startswith("IMMUTABLE"):
        return ["image tags are mutable"]
    return []


def check_ecr_3_lifecycle(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    policies = _of_type(resources, ECR_LIFECYCLE_POLICY)
    findings: list[tuple[Resource | None, str]] = []
    for repo in _repositories(resources):
        if repo.type == AWSX_ECR_REPOSITORY:
            # awsx.ecr.Repository adds a lifecycle policy unless told to skip it.
            # https://www.pulumi.com/registry/packages/awsx/api-docs/ecr/repository/
            if (repo.props.get("lifecyclePolicy") or {}).get("skip") is True:
                findings.append((repo, "the repository skips its lifecycle policy"))
        elif not any(_refers_to(p.props.get("repository"), repo) for p in policies):
            findings.append((repo, "no lifecycle policy expires old images"))
    return findings


# --- Logs -----------------------------------------------------------------------------------


def check_log_retention(_type: str, props: Mapping[str, Any]) -> list[str]:
    if _port(props.get("retentionInDays"), 0) <= 0:
        return ["the log group keeps logs forever (set retentionInDays)"]
    return []


# --- this project's own rules ---------------------------------------------------------------


def _writable_efs_volumes(task_definition: Resource) -> list[str]:
    efs_volumes = {
        v.get("name")
        for v in as_list(task_definition.props.get("volumes"))
        if v.get("efsVolumeConfiguration")
    }
    return sorted(
        str(mount.get("sourceVolume"))
        for c in containers(task_definition.props)
        for mount in as_list(c.get("mountPoints"))
        if mount.get("sourceVolume") in efs_volumes and mount.get("readOnly") is not True
    )


def _services_of(task_definition: Resource, resources: Sequence[Resource]) -> list[Resource]:
    services = _of_type(resources, ECS_SERVICE)
    mine = [s for s in services if _refers_to(s.props.get("taskDefinition"), task_definition)]
    if mine:
        return mine
    family = task_definition.props.get("family")
    return [s for s in services if family and family in str(s.props.get("taskDefinition", ""))]


def check_single_writer(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    """A task that writes to EFS (a database's data directory) must never run twice."""
    findings: list[tuple[Resource | None, str]] = []
    scaling = _of_type(resources, SCALING_TARGET)
    for task_definition in _of_type(resources, TASK_DEFINITION):
        volumes = _writable_efs_volumes(task_definition)
        if not volumes:
            continue
        services = _services_of(task_definition, resources)
        if not services:
            findings.append(
                (task_definition, "writes to EFS but no ECS service of this stack runs it")
            )
        for service in services:
            desired = _port(service.props.get("desiredCount"), 1)
            maximum = _port(service.props.get("deploymentMaximumPercent"), 200)
            if desired != 1:
                findings.append((service, f"desiredCount is {desired}; a single writer needs 1"))
            if maximum > 100:
                findings.append(
                    (
                        service,
                        f"deploymentMaximumPercent is {maximum}; above 100 a deployment starts "
                        f"a second writer on {', '.join(volumes)} before stopping the first",
                    )
                )
            for target in scaling:
                if _port(target.props.get("maxCapacity"), 1) > 1 and service.name in str(
                    target.props.get("resourceId", "")
                ):
                    findings.append((target, "auto scaling may start a second writer"))
    return findings


@dataclass(frozen=True)
class Reach:
    """An AWS service the task calls, why, and what carries the traffic there."""

    service: str
    reason: str
    served_by: str
    """``gateway endpoint``, ``interface endpoint (2 AZs)``, ``NAT gateway``,
    ``EFS mount targets (n)`` or ``nothing``."""

    @property
    def reachable(self) -> bool:
        return self.served_by != "nothing"


def _secret_service(value_from: str) -> str:
    return "secretsmanager" if ":secretsmanager:" in value_from else "ssm"


def needed_services(resources: Sequence[Resource]) -> dict[str, str]:
    """The AWS services the stack's tasks call at run time, each with the reason.

    Read from the task definitions and services themselves (images, log drivers, secrets,
    environment, ECS Exec), so a new need shows up without editing a list.
    Endpoints a private Fargate task needs: https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
    """
    needs: dict[str, str] = {}

    def need(service: str, reason: str) -> None:
        needs.setdefault(service, reason)

    for task_definition in _of_type(resources, TASK_DEFINITION):
        for container in containers(task_definition.props):
            name = container.get("name")
            image = str(container.get("image", ""))
            if ".dkr.ecr." in image:
                need("ecr.api", f"{name}: image pull authorisation")
                need("ecr.dkr", f"{name}: image pull")
                need("s3", f"{name}: image layers live in S3")
            log = container.get("logConfiguration") or {}
            if log.get("logDriver") == "awslogs":
                need("logs", f"{name}: awslogs driver")
            for secret in as_list(container.get("secrets")):
                service = _secret_service(str(secret.get("valueFrom", "")))
                need(service, f"{name}: secret {secret.get('name')}")
            for variable in as_list(container.get("environment")):
                value = str(variable.get("value", ""))
                variable_name = str(variable.get("name", ""))
                if value.startswith("email-smtp."):
                    need("email-smtp", f"{name}: SMTP to {value}")
                if variable_name.endswith("BUCKET_NAME") and value:
                    need("s3", f"{name}: bucket {value}")
                if value.startswith("s3://"):
                    need("s3", f"{name}: {variable_name} {value}")
        if any(
            v.get("efsVolumeConfiguration") for v in as_list(task_definition.props.get("volumes"))
        ):
            need("elasticfilesystem (NFS)", "EFS volume mount")
    for service in _of_type(resources, ECS_SERVICE):
        if service.props.get("enableExecuteCommand") is True:
            need("ssmmessages", f"{service.name}: ECS Exec")
    return needs


def _endpoint_service(endpoint: Resource) -> str:
    # com.amazonaws.<region>.<service>, where <service> may itself contain dots (ecr.api)
    parts = str(endpoint.props.get("serviceName", "")).split(".")
    return ".".join(parts[3:])


def services_reached(resources: Sequence[Resource]) -> list[Reach]:
    """Each AWS service the tasks use, with the VPC endpoint or NAT gateway that serves it."""
    endpoints = {_endpoint_service(e): e for e in _of_type(resources, VPC_ENDPOINT)}
    has_nat = bool(_of_type(resources, NAT_GATEWAY))
    reaches = []
    for service, reason in sorted(needed_services(resources).items()):
        endpoint = endpoints.get(service)
        if service.startswith("elasticfilesystem"):
            # Fargate mounts EFS through the mount targets' ENIs in the VPC, not the
            # elasticfilesystem API endpoint.
            # https://docs.aws.amazon.com/efs/latest/ug/efs-vpc-endpoints.html
            mount_targets = len(_of_type(resources, EFS_MOUNT_TARGET))
            served = f"EFS mount targets ({mount_targets})" if mount_targets else "nothing"
        elif endpoint is not None:
            kind = str(endpoint.props.get("vpcEndpointType") or "Gateway")
            if kind == "Interface":
                azs = len(as_list(endpoint.props.get("subnetIds")))
                served = f"interface endpoint ({azs} AZ{'s' if azs != 1 else ''})"
            else:
                served = "gateway endpoint"
        elif has_nat:
            served = "NAT gateway"
        else:
            served = "nothing"
        reaches.append(Reach(service, reason, served))
    return reaches


def check_private_reach(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    """Without NAT, every service the tasks use must have a VPC endpoint (or EFS mount targets)."""
    return [
        (None, f"{reach.service} ({reach.reason}) has no VPC endpoint and the stack has no NAT")
        for reach in services_reached(resources)
        if not reach.reachable
    ]


# --- the rule set ---------------------------------------------------------------------------

M, A = Enforcement.MANDATORY, Enforcement.ADVISORY
SG_TYPES = (SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE)
IAM_TYPES = (IAM_POLICY, IAM_ROLE, *IAM_INLINE_POLICIES, *IAM_ATTACHMENTS)

RULES: tuple[Rule, ...] = (
    Rule(
        "ECS.2",
        "ECS services do not assign public IPs",
        M,
        (ECS_SERVICE,),
        check_ecs_2_no_public_ip,
    ),
    Rule(
        "ECS.4",
        "ECS containers run unprivileged",
        M,
        (TASK_DEFINITION,),
        check_ecs_4_not_privileged,
    ),
    Rule(
        "ECS.5",
        "ECS containers have read-only root file systems",
        A,
        (TASK_DEFINITION,),
        check_ecs_5_read_only_root,
    ),
    Rule(
        "ECS.8",
        "no secrets (or secret-looking values) in container environment",
        M,
        (TASK_DEFINITION,),
        check_ecs_8_no_secrets_in_environment,
    ),
    Rule(
        "ECS.9",
        "every container has a log configuration",
        M,
        (TASK_DEFINITION,),
        check_ecs_9_logging,
    ),
    Rule(
        "ECS.12",
        "ECS clusters use Container Insights",
        A,
        (ECS_CLUSTER,),
        check_ecs_12_container_insights,
    ),
    Rule(
        "ECS.18",
        "EFS volumes of task definitions encrypt in transit",
        M,
        (TASK_DEFINITION,),
        check_ecs_18_efs_in_transit,
    ),
    Rule(
        "ECS.20",
        "Linux containers run as a non-root user",
        M,
        (TASK_DEFINITION,),
        check_ecs_20_non_root_user,
    ),
    Rule(
        "EFS.1",
        "EFS file systems are encrypted at rest",
        M,
        (EFS_FILE_SYSTEM,),
        check_efs_1_encrypted,
    ),
    Rule(
        "EFS.2",
        "EFS file systems are in a backup plan",
        M,
        (EFS_FILE_SYSTEM, EFS_BACKUP_POLICY, BACKUP_SELECTION),
        check_stack=check_efs_2_backups,
    ),
    Rule(
        "EFS.3",
        "EFS access points enforce a root directory",
        M,
        (EFS_ACCESS_POINT,),
        check_efs_3_root_directory,
    ),
    Rule(
        "EFS.4",
        "EFS access points enforce a user identity",
        M,
        (EFS_ACCESS_POINT,),
        check_efs_4_posix_user,
    ),
    Rule(
        "EFS.6",
        "EFS mount targets are in subnets without public IPs",
        M,
        (EFS_MOUNT_TARGET, SUBNET),
        check_stack=check_efs_6_private_mount_targets,
    ),
    Rule("ELB.1", "HTTP listeners redirect to HTTPS", M, LISTENERS, check_elb_1_http_redirects),
    Rule(
        "ELB.4",
        "ALBs drop invalid HTTP headers",
        M,
        LOAD_BALANCERS,
        check_elb_4_drop_invalid_headers,
    ),
    Rule(
        "ELB.6", "ALBs have deletion protection", M, LOAD_BALANCERS, check_elb_6_deletion_protection
    ),
    Rule(
        "ELB.13", "load balancers span at least two AZs", M, LOAD_BALANCERS, check_elb_13_multi_az
    ),
    Rule(
        "ELB.17",
        "TLS listeners use a recommended security policy",
        M,
        LISTENERS,
        check_elb_17_ssl_policy,
    ),
    Rule(
        "S3.1/S3.8",
        "S3 buckets block public access",
        M,
        (*BUCKETS, BUCKET_PUBLIC_ACCESS_BLOCK),
        check_stack=check_s3_8_block_public_access,
    ),
    Rule(
        "S3.5",
        "S3 buckets refuse plain HTTP",
        M,
        (*BUCKETS, BUCKET_POLICY),
        check_stack=check_s3_5_ssl_only,
    ),
    Rule(
        "S3.12",
        "S3 buckets do not use ACLs",
        M,
        (*BUCKETS, BUCKET_OWNERSHIP, *BUCKET_ACLS),
        check_stack=check_s3_12_no_acls,
    ),
    Rule(
        "EC2.2",
        "the VPC's default security group allows nothing",
        M,
        (VPC, DEFAULT_SECURITY_GROUP),
        check_stack=check_ec2_2_default_sg_closed,
    ),
    Rule(
        "EC2.15",
        "subnets do not assign public IPs on launch",
        M,
        (SUBNET,),
        check_ec2_15_no_auto_public_ip,
    ),
    Rule(
        "EC2.18", "only TCP 80/443 are open to the internet", M, SG_TYPES, check_ec2_18_public_ports
    ),
    Rule(
        "EC2.19",
        "no high-risk port is open to the internet",
        M,
        SG_TYPES,
        check_ec2_19_high_risk_ports,
    ),
    Rule(
        "IAM.1",
        "no policy grants full administrative access",
        M,
        IAM_TYPES,
        check_iam_1_no_full_admin,
    ),
    Rule(
        "IAM.21",
        "policies list actions instead of service wildcards",
        M,
        IAM_TYPES,
        check_iam_21_no_service_wildcards,
    ),
    Rule(
        "ECR.1",
        "ECR repositories scan images on push",
        M,
        (ECR_REPOSITORY, AWSX_ECR_REPOSITORY),
        check_stack=check_ecr_1_scan_on_push,
    ),
    Rule(
        "ECR.2",
        "ECR repositories have immutable tags",
        A,
        (ECR_REPOSITORY, AWSX_ECR_REPOSITORY),
        check_ecr_2_immutable_tags,
    ),
    Rule(
        "ECR.3",
        "ECR repositories expire old images",
        M,
        (ECR_REPOSITORY, AWSX_ECR_REPOSITORY),
        check_stack=check_ecr_3_lifecycle,
    ),
    Rule(
        "DJTW.LOG-RETENTION",
        "log groups set a retention period",
        M,
        (LOG_GROUP,),
        check_log_retention,
    ),
    Rule(
        "DJTW.SINGLE-WRITER",
        "a task writing to EFS runs once: desired 1, max 100%",
        M,
        (TASK_DEFINITION, ECS_SERVICE, SCALING_TARGET),
        check_stack=check_single_writer,
    ),
    Rule(
        "DJTW.PRIVATE-REACH",
        "without NAT, every AWS service the task uses has a VPC endpoint",
        M,
        (TASK_DEFINITION, ECS_SERVICE, VPC_ENDPOINT, NAT_GATEWAY),
        check_stack=check_private_reach,
    ),
)

RULES_BY_ID = {rule.id: rule for rule in RULES}


def check_resource(rule: Rule, resource_type: str, props: Mapping[str, Any]) -> list[str]:
    """Messages of a resource rule for one resource ([] when it passes or does not apply)."""
    if rule.check_resource is None or resource_type not in rule.resource_types:
        return []
    return rule.check_resource(resource_type, props)


def evaluate(resources: Sequence[Resource], rules: Sequence[Rule] = RULES) -> list[RuleResult]:
    """Run ``rules`` over a stack's resources; each result says how many resources it checked."""
    results = []
    for rule in rules:
        applicable = [r for r in resources if r.type in rule.resource_types]
        findings: list[Finding] = []
        if rule.check_stack is not None:
            for resource, message in rule.check_stack(resources):
                findings.append(Finding(rule, resource.name if resource else "", message))
        else:
            for resource in applicable:
                findings.extend(
                    Finding(rule, resource.name, message)
                    for message in check_resource(rule, resource.type, resource.props)
                )
        results.append(RuleResult(rule, len(applicable), tuple(findings)))
    return results
