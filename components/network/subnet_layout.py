"""Where each subnet sits in the VPC: a fixed slot per subnet index, so adding a zone only
adds subnets and no existing subnet's CIDR ever changes (a changed CIDR replaces the subnet,
and EC2 refuses the new one while the old one still holds its range)."""

import ipaddress
import math

MAX_AZS = 6
"""The most availability zones a network spans (no AWS region has more than six)."""

SMALLEST_SUBNET_PREFIX = 26
"""No subnet smaller than /26: 64 addresses, of which AWS reserves 5
(https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html). A load balancer
subnet needs at least /27 and 8 free addresses
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer);
a private one holds an ENI per interface endpoint, per task (twice the tasks during a
rolling deploy), and the database's and file system's ENIs."""


def zone_slots(cidr_block: str) -> int:
    """How many zones the VPC has a public and a private slot for: enough for
    :data:`MAX_AZS` when the VPC is large enough, else as many /26 pairs as fit."""
    prefix = ipaddress.ip_network(cidr_block).prefixlen
    for_every_zone = 2 ** math.ceil(math.log2(MAX_AZS))
    # Two tiers of slots, each slot at least SMALLEST_SUBNET_PREFIX.
    room = SMALLEST_SUBNET_PREFIX - prefix - 1
    return min(for_every_zone, 2**room) if room >= 0 else 0


def slot_prefix(cidr_block: str) -> int:
    """The prefix length of every subnet of a VPC with this CIDR."""
    prefix = ipaddress.ip_network(cidr_block).prefixlen
    return prefix + 1 + int(math.log2(zone_slots(cidr_block)))


def subnet_blocks(
    cidr_block: str, public_count: int, private_count: int
) -> tuple[list[str], list[str]]:
    """(public, private) subnet CIDRs: public ``i`` in slot ``i`` of the VPC's first half,
    private ``i`` in slot ``i`` of its second half. The slots depend on the VPC's CIDR only."""
    slots = zone_slots(cidr_block)
    wanted = max(public_count, private_count)
    if wanted > slots:
        raise ValueError(
            f"VPC {cidr_block} holds subnets of at least /{SMALLEST_SUBNET_PREFIX} for "
            f"{slots} availability zone(s), not {wanted}; use a larger VPC CIDR (/"
            f"{larger_prefix_for(wanted)} or larger) or fewer zones"
        )
    network = ipaddress.ip_network(cidr_block)
    blocks = list(network.subnets(new_prefix=slot_prefix(cidr_block)))
    public = [str(blocks[index]) for index in range(public_count)]
    private = [str(blocks[slots + index]) for index in range(private_count)]
    return public, private


def larger_prefix_for(zones: int) -> int:
    """The longest VPC prefix whose layout has slots for ``zones`` zones."""
    return SMALLEST_SUBNET_PREFIX - 1 - math.ceil(math.log2(max(zones, 1)))
