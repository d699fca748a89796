"""What the network's settings accept: the region, the VPC's range, its zones, its egress."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping

from components.network.availability_zones import FARGATE_UNSUPPORTED_ZONE_IDS
from components.network.subnet_layout import MAX_AZS, larger_prefix_for, zone_slots
from stack.parsers import Earlier, NotAllowed, integer, one_of
from stack.parsers.choices import (
    DEVELOPMENT,
    EGRESS_ENDPOINTS,
    EGRESS_MODES,
    EGRESS_NAT,
    NAT_GATEWAY_MODES,
    PRODUCTION,
)

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
_ZONE_ID = re.compile(r"^[a-z]+[0-9]+-az[0-9]+$")


def aws_region(text: str, earlier: Earlier) -> str:
    if not _REGION.match(text):
        raise NotAllowed(text, "an AWS region name such as ap-northeast-1")
    return text


def private_network(text: str, earlier: Earlier) -> str:
    allowed = "a private IPv4 network from /16 to /24 in CIDR form, e.g. 10.0.0.0/16"
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError:
        raise NotAllowed(text, allowed) from None
    # AWS VPCs take /16 to /28; each AZ needs two subnets of at least /26
    # (components.network.subnet_layout), hence /24 at most.
    # https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
    if network.version != 4 or not 16 <= network.prefixlen <= 24 or not network.is_private:
        raise NotAllowed(text, allowed)
    return str(network)


def az_count(text: str, earlier: Earlier) -> int:
    allowed = f"2 to {MAX_AZS} (1 only with environment: {DEVELOPMENT})"
    value = integer(text, allowed)
    lowest = 2 if earlier["environment"] == PRODUCTION else 1
    if not lowest <= value <= MAX_AZS:
        raise NotAllowed(value, allowed)
    # The public subnets span max(2, azCount) zones; the VPC must have a slot for each.
    slots = zone_slots(earlier["vpcCidr"])
    if max(2, value) > slots:
        raise NotAllowed(
            value,
            f"at most {slots} with vpcCidr {earlier['vpcCidr']} (subnets of /26 or more; "
            f"a /{larger_prefix_for(max(2, value))} or larger VPC holds {max(2, value)})",
        )
    return value


def endpoint_az_count(text: str, earlier: Earlier) -> int:
    allowed = f"0 (every AZ) or 1 to azCount ({earlier['azCount']})"
    value = integer(text, allowed)
    if not 0 <= value <= earlier["azCount"]:
        raise NotAllowed(value, allowed)
    return value


def availability_zone_ids(text: str, earlier: Earlier) -> tuple[str, ...]:
    """A YAML list (Pulumi passes it as JSON) or comma-separated text of zone ids; empty:
    chosen automatically."""
    needed = max(2, earlier["azCount"])
    allowed = (
        f"[] (automatic), or {needed} distinct zone ids such as apne1-az1 (one per public "
        f"subnet, the first {earlier['azCount']} for the tasks), none of "
        f"{', '.join(sorted(FARGATE_UNSUPPORTED_ZONE_IDS))} (no Fargate there)"
    )
    stripped = text.strip()
    try:
        listed = json.loads(stripped) if stripped.startswith("[") else stripped.split(",")
    except json.JSONDecodeError:
        raise NotAllowed(text, allowed) from None
    if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
        raise NotAllowed(text, allowed)
    ids = tuple(item.strip() for item in listed if item.strip())
    if not ids:
        return ids
    if (
        len(ids) != needed
        or len(set(ids)) != len(ids)
        or not all(_ZONE_ID.match(zone_id) for zone_id in ids)
        or set(ids) & FARGATE_UNSUPPORTED_ZONE_IDS
    ):
        raise NotAllowed(list(ids), allowed)
    return ids


def former_nat_gateways(text: str, earlier: Earlier) -> str:
    """``natGateways``, read only from stack files written before ``egress`` took its value:
    empty (left out), or ``single`` | ``per-az`` for ``egress: nat``."""
    if text == "":
        return ""
    return one_of(NAT_GATEWAY_MODES)(text, earlier)


def egress(text: str, earlier: Earlier) -> str:
    """``endpoints`` | ``nat-single`` | ``nat-per-az``; the former ``nat`` plus ``natGateways``
    becomes the value it meant (the caller warns), and a ``natGateways`` that disagrees with a
    new value is refused rather than silently ignored."""
    gateways = earlier.get("natGateways", "")
    if text == EGRESS_NAT:
        return f"nat-{gateways or 'single'}"
    value = one_of(EGRESS_MODES)(text, earlier)
    if gateways and value != EGRESS_ENDPOINTS and value != f"nat-{gateways}":
        raise NotAllowed(
            gateways,
            f"nothing: `egress: {value}` says how many NAT gateways; remove `natGateways`",
            setting="natGateways",
        )
    return value


def egress_deprecations(config: Mapping[str, str]) -> tuple[str, ...]:
    """What a stack file still says the 0.1 way, each as the line to write instead."""
    found = []
    gateways = config.get("natGateways", "")
    if config.get("egress") == EGRESS_NAT:
        found.append(
            f"`django-tw:egress: nat` is read as `nat-{gateways or 'single'}`: write that "
            "instead (`nat` stops being read in 0.3)"
        )
    if gateways:
        found.append(
            "`django-tw:natGateways` is no longer needed: `egress` says it "
            "(`nat-single` | `nat-per-az`); remove the line"
        )
    return tuple(found)
