"""Run a Pulumi program offline and record everything it declares.

``run_program`` runs a program under Pulumi's mocks with ``preview=False``: every Output
resolves, so what the tests inspect (``RecordedResource.inputs``, ``StackRecording.outputs``) is
plain Python data. An assertion written against plain data either runs or the test errors; it
cannot be skipped silently inside an ``apply`` that never fires.

Only pulumi and the standard library are imported here, so the plan tooling and other projects
can use it without the rest of the component library.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "ap-northeast-1"
STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass
class RecordedResource:
    """One resource the program registered, as the engine would have received it."""

    type: str
    """Type token, e.g. ``aws:ecs/taskDefinition:TaskDefinition``."""
    name: str
    """Logical name."""
    inputs: dict[str, Any]
    """Inputs with camelCase keys, as ``MockResourceArgs.inputs`` carries them, with secret
    values unwrapped to plain values (so tests can look for them where they must not be)."""
    outputs: dict[str, Any]
    """State the mock answered with (inputs plus computed fields)."""
    parent: str | None
    """URN of the parent resource, or None for a resource directly under the stack."""
    urn: str
    custom: bool = True
    """False for component resources (ours and awsx's remote components)."""
    remote: bool = False
    """True for multi-language components (awsx), which register as one opaque resource."""
    protect: bool = False
    retain_on_delete: bool = False
    dependencies: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return str(self.outputs.get("id", ""))


@dataclass
class StackRecording:
    """Everything one run of a program declared, with every output resolved."""

    resources: list[RecordedResource]
    outputs: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    def of_type(self, type_: str) -> list[RecordedResource]:
        return [resource for resource in self.resources if resource.type == type_]

    def one(self, type_: str, name: str | None = None) -> RecordedResource:
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            names = [r.name for r in self.of_type(type_)]
            raise LookupError(
                f"expected exactly one {type_}{f' named {name!r}' if name else ''}, "
                f"found {len(found)}; resources of that type: {names}"
            )
        return found[0]

    def children_of(self, parent: RecordedResource) -> list[RecordedResource]:
        return [resource for resource in self.resources if resource.parent == parent.urn]


def _short_hash(*parts: object, length: int = 17) -> str:
    text = "/".join(str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _render_policy_document(args: Mapping[str, Any]) -> str:
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


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers the engine's questions the way AWS would, and remembers every resource.

    ``call`` answers each data source the program may use with realistic values for
    ``region``; a data source it does not know fails loudly (add it here) instead of
    returning an empty answer that would make a test pass for the wrong reason.
    """

    def __init__(self, region: str = DEFAULT_REGION, account_id: str = ACCOUNT_ID) -> None:
        self.region = region
        self.account_id = account_id
        self.resources: list[RecordedResource] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []

    # --- data sources -------------------------------------------------------------------
    def call(self, args: pulumi.runtime.MockCallArgs) -> dict:
        data_source, inputs = args.token, dict(args.args)
        self.calls.append((data_source, inputs))
        region, account = self.region, self.account_id
        if data_source == "aws:index/getAvailabilityZones:getAvailabilityZones":
            suffixes = ("a", "c", "d") if region == "ap-northeast-1" else ("a", "b", "c")
            names = [f"{region}{suffix}" for suffix in suffixes]
            return {
                "names": names,
                "zoneIds": [f"apne1-az{n}" for n in (4, 1, 2)][: len(names)],
                "groupNames": [region] * len(names),
                "id": region,
                "state": "available",
            }
        if data_source == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": account,
                "arn": f"arn:aws:iam::{account}:user/deployer",
                "userId": "AIDAEXAMPLEUSERID",
                "id": account,
            }
        if data_source == "aws:index/getRegion:getRegion":
            return {
                "name": region,
                "region": region,
                "id": region,
                "endpoint": f"ec2.{region}.amazonaws.com",
                "description": region,
            }
        if data_source == "aws:index/getPartition:getPartition":
            return {
                "partition": "aws",
                "dnsSuffix": "amazonaws.com",
                "reverseDnsPrefix": "com.amazonaws",
                "id": "aws",
            }
        if data_source == "aws:iam/getPolicyDocument:getPolicyDocument":
            document = _render_policy_document(inputs)
            return {"json": document, "minifiedJson": document, "id": _short_hash(document)}
        if data_source == "aws:route53/getZone:getZone":
            zone_name = str(inputs.get("name") or "example.com").rstrip(".")
            zone_id = "Z" + _short_hash(zone_name, length=12).upper()
            return {
                "id": zone_id,
                "zoneId": zone_id,
                "name": zone_name,
                "arn": f"arn:aws:route53:::hostedzone/{zone_id}",
                "privateZone": False,
                "nameServers": [f"ns-1.awsdns-01.{tld}" for tld in ("org", "net")],
            }
        if data_source == "aws:elb/getServiceAccount:getServiceAccount":
            return {"arn": "arn:aws:iam::582318560864:root", "id": "582318560864"}
        raise NotImplementedError(
            f"RecordingMocks has no stand-in for data source {data_source!r}; add one to "
            "components/testing.py so tests see a realistic answer"
        )

    # --- resources ----------------------------------------------------------------------
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict]:
        outputs = self.outputs_for(args.typ, args.name, dict(args.inputs))
        resource_id = outputs.pop("id", None) or f"{args.name}-id"
        if not args.custom and args.typ not in _REMOTE_OUTPUTS:
            # A component's state is what it registers itself; the engine echoes nothing.
            return resource_id, {}
        return resource_id, outputs

    def outputs_for(self, type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        """Inputs echoed back plus what AWS computes for that type (ids, ARNs, DNS names)."""
        region, account = self.region, self.account_id
        short = _short_hash(type_, name)
        if type_ in _REMOTE_OUTPUTS:
            return _REMOTE_OUTPUTS[type_](self, name, inputs)
        outputs = dict(inputs)
        service = type_.split(":")[1].split("/")[0] if type_.startswith("aws:") else "mock"
        outputs.setdefault("arn", f"arn:aws:{service}:{region}:{account}:{name}")
        outputs["id"] = f"{name}-{short[:8]}"
        outputs.setdefault("tagsAll", inputs.get("tags") or {})
        extra = _TYPE_OUTPUTS.get(type_)
        if extra is not None:
            outputs.update(extra(self, name, inputs, short))
        return outputs


def _physical_name(name: str, inputs: dict, short: str, key: str = "name") -> str:
    """The name the program set, else what Pulumi's auto-naming would make of the logical
    name (a random suffix, here a stable one derived from the URN)."""
    return inputs.get(key) or f"{name}-{short[:7]}"


def _ids(prefix: str) -> Callable[[RecordingMocks, str, dict, str], dict]:
    return lambda mocks, name, inputs, short: {"id": f"{prefix}-{short}"}


def _vpc(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    return {
        "id": f"vpc-{short}",
        "defaultSecurityGroupId": f"sg-default{short[:8]}",
        "mainRouteTableId": f"rtb-main{short[:8]}",
        "defaultRouteTableId": f"rtb-main{short[:8]}",
        "arn": f"arn:aws:ec2:{mocks.region}:{mocks.account_id}:vpc/vpc-{short}",
    }


def _security_group(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    return {
        "id": f"sg-{short}",
        "name": _physical_name(name, inputs, short),
        "arn": f"arn:aws:ec2:{mocks.region}:{mocks.account_id}:security-group/sg-{short}",
        "ownerId": mocks.account_id,
    }


def _named_arn(service: str, kind: str, key: str = "name") -> Callable[..., dict]:
    def outputs(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
        value = _physical_name(name, inputs, short, key)
        return {
            key: value,
            "arn": f"arn:aws:{service}:{mocks.region}:{mocks.account_id}:{kind}{value}",
            "id": value,
        }

    return outputs


def _iam_role(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    role_name = _physical_name(name, inputs, short)
    return {
        "name": role_name,
        "id": role_name,
        "arn": f"arn:aws:iam::{mocks.account_id}:role/{role_name}",
        "uniqueId": f"AROA{short.upper()}",
    }


def _iam_user(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    user_name = _physical_name(name, inputs, short)
    return {
        "name": user_name,
        "id": user_name,
        "arn": f"arn:aws:iam::{mocks.account_id}:user/{user_name}",
    }


def _iam_policy(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    policy_name = _physical_name(name, inputs, short)
    arn = f"arn:aws:iam::{mocks.account_id}:policy/{policy_name}"
    return {"name": policy_name, "id": arn, "arn": arn}


def _access_key(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    return {
        "id": f"AKIA{short.upper()[:16]}",
        "secret": f"mock-secret-access-key-{short}",
        "sesSmtpPasswordV4": f"mock-smtp-password-{short}",
        "status": "Active",
    }


def _random_password(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    length = int(inputs.get("length") or 32)
    value = (f"mockpw{short}" * 8)[:length]
    return {"id": "none", "result": value, "bcryptHash": f"$2a$10${short}"}


def _bucket(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    bucket = _physical_name(name, inputs, short, "bucket")
    return {
        "id": bucket,
        "bucket": bucket,
        "arn": f"arn:aws:s3:::{bucket}",
        "bucketDomainName": f"{bucket}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{bucket}.s3.{mocks.region}.amazonaws.com",
        "region": mocks.region,
    }


def _load_balancer(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    lb_name = _physical_name(name, inputs, short)
    arn = (
        f"arn:aws:elasticloadbalancing:{mocks.region}:{mocks.account_id}"
        f":loadbalancer/app/{lb_name}/{short[:16]}"
    )
    return {
        "id": arn,
        "arn": arn,
        "arnSuffix": f"app/{lb_name}/{short[:16]}",
        "name": lb_name,
        "dnsName": f"{lb_name}-{short[:10]}.{mocks.region}.elb.amazonaws.com",
        "zoneId": "Z14GRHDCWA56QT",
    }


def _target_group(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    tg_name = _physical_name(name[:20], inputs, short)
    arn = (
        f"arn:aws:elasticloadbalancing:{mocks.region}:{mocks.account_id}"
        f":targetgroup/{tg_name}/{short[:16]}"
    )
    return {"id": arn, "arn": arn, "arnSuffix": f"targetgroup/{tg_name}/{short[:16]}"}


def _certificate(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    domain = inputs.get("domainName", "example.com")
    names = [domain, *(inputs.get("subjectAlternativeNames") or [])]
    return {
        "id": f"arn:aws:acm:{mocks.region}:{mocks.account_id}:certificate/{short}",
        "arn": f"arn:aws:acm:{mocks.region}:{mocks.account_id}:certificate/{short}",
        "domainValidationOptions": [
            {
                "domainName": item,
                "resourceRecordName": f"_{_short_hash(item, length=12)}.{item}.",
                "resourceRecordType": "CNAME",
                "resourceRecordValue": f"_{_short_hash(item, 'v', length=12)}.acm-validations.aws.",
            }
            for item in names
        ],
        "status": "ISSUED",
    }


def _efs(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    fs_id = f"fs-{short}"
    return {
        "id": fs_id,
        "arn": f"arn:aws:elasticfilesystem:{mocks.region}:{mocks.account_id}:file-system/{fs_id}",
        "dnsName": f"{fs_id}.efs.{mocks.region}.amazonaws.com",
    }


def _access_point(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    ap_id = f"fsap-{short}"
    return {
        "id": ap_id,
        "arn": f"arn:aws:elasticfilesystem:{mocks.region}:{mocks.account_id}:access-point/{ap_id}",
    }


def _secret(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    secret_name = _physical_name(name, inputs, short)
    arn = f"arn:aws:secretsmanager:{mocks.region}:{mocks.account_id}:secret:{secret_name}-AbCdEf"
    return {"id": arn, "arn": arn, "name": secret_name}


def _task_definition(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    family = inputs.get("family") or name
    arn = f"arn:aws:ecs:{mocks.region}:{mocks.account_id}:task-definition/{family}:1"
    return {"id": arn, "arn": arn, "revision": 1, "arnWithoutRevision": arn.rsplit(":", 1)[0]}


def _ecs_service(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    service_name = _physical_name(name, inputs, short)
    arn = f"arn:aws:ecs:{mocks.region}:{mocks.account_id}:service/{service_name}"
    return {"id": arn, "arn": arn, "name": service_name}


def _record(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    return {"fqdn": str(inputs.get("name", name)).rstrip(".")}


def _ses_domain(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    domain = inputs.get("domain", "example.com")
    return {
        "id": domain,
        "arn": f"arn:aws:ses:{mocks.region}:{mocks.account_id}:identity/{domain}",
        "verificationToken": f"mock-verification-{short}",
    }


def _ses_dkim(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    return {"dkimTokens": [_short_hash(short, n, length=32) for n in range(3)]}


def _vpc_endpoint(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
    return {
        "id": f"vpce-{short}",
        "arn": f"arn:aws:ec2:{mocks.region}:{mocks.account_id}:vpc-endpoint/vpce-{short}",
        "prefixListId": "pl-61a54008",
        "networkInterfaceIds": [
            f"eni-{short[:8]}{n}" for n in range(len(inputs.get("subnetIds") or []))
        ],
    }


def _backup(kind: str, key: str = "name") -> Callable[..., dict]:
    def outputs(mocks: RecordingMocks, name: str, inputs: dict, short: str) -> dict:
        value = _physical_name(name, inputs, short, key)
        return {
            "id": value if kind == "backup-vault" else short,
            "name": value,
            "arn": f"arn:aws:backup:{mocks.region}:{mocks.account_id}:{kind}:{value}",
        }

    return outputs


_TYPE_OUTPUTS: dict[str, Callable[[RecordingMocks, str, dict, str], dict]] = {
    "aws:ec2/vpc:Vpc": _vpc,
    "aws:ec2/subnet:Subnet": _ids("subnet"),
    "aws:ec2/internetGateway:InternetGateway": _ids("igw"),
    "aws:ec2/routeTable:RouteTable": _ids("rtb"),
    "aws:ec2/natGateway:NatGateway": _ids("nat"),
    "aws:ec2/eip:Eip": lambda m, n, i, s: {"id": f"eipalloc-{s}", "publicIp": "203.0.113.10"},
    "aws:ec2/securityGroup:SecurityGroup": _security_group,
    "aws:ec2/vpcEndpoint:VpcEndpoint": _vpc_endpoint,
    "aws:iam/role:Role": _iam_role,
    "aws:iam/user:User": _iam_user,
    "aws:iam/policy:Policy": _iam_policy,
    "aws:iam/accessKey:AccessKey": _access_key,
    "random:index/randomPassword:RandomPassword": _random_password,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketV2:BucketV2": _bucket,
    "aws:lb/loadBalancer:LoadBalancer": _load_balancer,
    "aws:lb/targetGroup:TargetGroup": _target_group,
    "aws:acm/certificate:Certificate": _certificate,
    "aws:efs/fileSystem:FileSystem": _efs,
    "aws:efs/accessPoint:AccessPoint": _access_point,
    "aws:efs/mountTarget:MountTarget": _ids("fsmt"),
    "aws:secretsmanager/secret:Secret": _secret,
    "aws:ecs/cluster:Cluster": _named_arn("ecs", "cluster/"),
    "aws:ecs/taskDefinition:TaskDefinition": _task_definition,
    "aws:ecs/service:Service": _ecs_service,
    "aws:cloudwatch/logGroup:LogGroup": _named_arn("logs", "log-group:"),
    "aws:route53/record:Record": _record,
    "aws:ses/domainIdentity:DomainIdentity": _ses_domain,
    "aws:ses/domainDkim:DomainDkim": _ses_dkim,
    "aws:backup/vault:Vault": _backup("backup-vault"),
    "aws:backup/plan:Plan": _backup("backup-plan"),
    "aws:backup/selection:Selection": lambda m, n, i, s: {"id": s},
}


def _awsx_repository(mocks: RecordingMocks, name: str, inputs: dict) -> dict:
    repository_name = inputs.get("name") or name
    return {
        "id": repository_name,
        "url": f"{mocks.account_id}.dkr.ecr.{mocks.region}.amazonaws.com/{repository_name}",
    }


def _awsx_image(mocks: RecordingMocks, name: str, inputs: dict) -> dict:
    repository_url = inputs.get("repositoryUrl") or f"{mocks.account_id}.dkr.ecr/{name}"
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()
    return {"id": name, "imageUri": f"{repository_url}@sha256:{digest}"}


# awsx components are multi-language ("remote") components: under mocks they register as one
# opaque resource, so their outputs are given here by hand.
_REMOTE_OUTPUTS: dict[str, Callable[[RecordingMocks, str, dict], dict]] = {
    "awsx:ecr:Repository": _awsx_repository,
    "awsx:ecr:Image": _awsx_image,
}


_SIG_KEY = rpc._special_sig_key
_SECRET_SIG = rpc._special_secret_sig


def _reveal(value: Any) -> Any:
    """Secret inputs arrive wrapped ({sig: secret, value: ...}); tests want the value."""
    if isinstance(value, dict):
        if value.get(_SIG_KEY) == _SECRET_SIG:
            return _reveal(value.get("value"))
        return {key: _reveal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_reveal(item) for item in value]
    return value


class _RecordingMonitor(pulumi_mocks.MockMonitor):
    """The mock monitor, keeping parent URN and resource options the plain one drops."""

    mocks: RecordingMocks

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK_TYPE:
            return resource_pb2.RegisterResourceResponse(urn=urn)
        _ensure_event_loop()
        inputs = _reveal(rpc.deserialize_properties(request.object))
        args = pulumi.runtime.MockResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=inputs,
            provider=request.provider,
            resource_id=request.importId,
            custom=request.custom or False,
        )
        resource_id, state = self.mocks.new_resource(args)
        self.mocks.resources.append(
            RecordedResource(
                type=request.type,
                name=request.name,
                inputs=dict(inputs),
                outputs={**state, "id": resource_id},
                parent=_parent_urn(request.parent),
                urn=urn,
                custom=bool(request.custom),
                remote=bool(request.remote),
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                dependencies=tuple(request.dependencies),
            )
        )
        serialized = _sync_await(rpc.serialize_properties(state, {}))
        self.resources[urn] = pulumi_mocks.MockMonitor.ResourceRegistration(urn, resource_id, state)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id, object=serialized)


def _parent_urn(parent: str) -> str | None:
    """The parent's URN, or None when the parent is the stack itself."""
    if not parent or parent.split("::")[2] == STACK_TYPE:
        return None
    return parent


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def _resolve(value: Any) -> Any:
    output = pulumi.Output.from_input(value)
    resolved = await output.future(with_unknowns=True)
    if isinstance(resolved, pulumi.output.Unknown) or not await output.is_known():
        raise RuntimeError("a stack output stayed unknown although the run was not a preview")
    return resolved


def _full_config_key(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def run_program(
    program: Callable[[], None],
    *,
    config: Mapping[str, str],
    project: str = "django-tw",
    stack: str = "prod",
    mocks: RecordingMocks | None = None,
) -> StackRecording:
    """Run ``program`` under recording mocks (preview=False) and wait for every output.

    ``config`` keys without a namespace belong to ``project`` (``domain`` becomes
    ``django-tw:domain``); ``aws:region`` also picks the region the mocks answer for.
    Pass ``mocks`` to inspect what was registered even when the program raises.
    Safe to call repeatedly in one process: each call starts from fresh settings.
    """
    if mocks is None:
        mocks = RecordingMocks(region=str(config.get("aws:region") or DEFAULT_REGION))
    set_all_config(
        {_full_config_key(key, project): str(value) for key, value in config.items()},
        secret_keys=[],
    )
    pulumi_settings.ROOT.set(None)
    logger = logging.getLogger(f"{__name__}.{project}.{stack}")
    logger.propagate = False
    collector = _WarningCollector()
    logger.handlers = [collector]
    pulumi.runtime.set_mocks(
        mocks,
        project=project,
        stack=stack,
        preview=False,
        logger=logger,
        monitor=_RecordingMonitor(mocks),
    )
    pulumi_settings.SETTINGS.outputs.clear()
    root = pulumi_settings.get_root_resource()
    try:
        _sync_await(run_pulumi_func(program))
        outputs = {
            name: _sync_await(_resolve(value))
            for name, value in getattr(root, "outputs", {}).items()
        }
    finally:
        pulumi_settings.ROOT.set(None)
    return StackRecording(
        resources=list(mocks.resources), outputs=outputs, warnings=list(collector.messages)
    )
