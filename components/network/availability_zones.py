"""Which availability zones a PrivateNetwork spans, chosen by zone id.

AZ *names* (``ap-northeast-1a``) map to different physical zones in different accounts; zone
*ids* (``apne1-az4``) name the same physical zone everywhere, and AWS states service support by
zone id. So the choice is made, and pinned, by zone id.
https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

# Zone ids where Fargate runs no Linux task, from AWS's table of the zones a Region supports
# when it supports only some: ap-northeast-1 "apne1-az1, apne1-az2, & apne1-az4 only" (not
# apne1-az3, which older accounts still see) and us-west-1 "usw1-az1 & usw1-az3 only".
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate-Regions.html
FARGATE_UNSUPPORTED_ZONE_IDS = frozenset({"apne1-az3", "usw1-az2"})


@dataclass(frozen=True)
class Zone:
    """One availability zone as ``get_availability_zones`` lists it."""

    name: str
    zone_id: str


def zones_of(names: Sequence[str], zone_ids: Sequence[str]) -> list[Zone]:
    """The data source's two parallel lists as zones, in its order."""
    if len(names) != len(zone_ids):
        raise ValueError(f"{len(names)} zone names but {len(zone_ids)} zone ids")
    return [Zone(name, zone_id) for name, zone_id in zip(names, zone_ids, strict=True)]


def choose_zones(
    available: Sequence[Zone],
    count: int,
    *,
    wanted_zone_ids: Sequence[str] = (),
    unsupported_zone_ids: Collection[str] = FARGATE_UNSUPPORTED_ZONE_IDS,
) -> list[Zone]:
    """The ``count`` zones to use, in order.

    ``wanted_zone_ids`` empty: the first ``count`` available zones whose id is not in
    ``unsupported_zone_ids``, in the data source's order (a stack whose zones were all
    supported keeps the ones it had). Otherwise exactly those zones, in that order; each must be
    available and supported, and there must be ``count`` of them.
    Raises ValueError saying what to change.
    """
    by_id = {zone.zone_id: zone for zone in available}
    if wanted_zone_ids:
        if len(set(wanted_zone_ids)) != len(wanted_zone_ids):
            raise ValueError(f"availability zone ids {list(wanted_zone_ids)} repeat a zone")
        if unknown := [z for z in wanted_zone_ids if z not in by_id]:
            raise ValueError(
                f"availability zone ids {unknown} are not available here; choose among "
                f"{sorted(by_id)}"
            )
        if refused := [z for z in wanted_zone_ids if z in unsupported_zone_ids]:
            raise ValueError(
                f"availability zone ids {refused} cannot run the stack's tasks (Fargate); "
                "choose others"
            )
        if len(wanted_zone_ids) != count:
            raise ValueError(
                f"{len(wanted_zone_ids)} availability zone ids given for {count} zones; "
                f"name exactly {count}"
            )
        return [by_id[zone_id] for zone_id in wanted_zone_ids]
    usable = [zone for zone in available if zone.zone_id not in unsupported_zone_ids]
    if len(usable) < count:
        left_out = sorted(z.zone_id for z in available if z.zone_id in unsupported_zone_ids)
        raise ValueError(
            f"needs {count} availability zones but only {len(usable)} can run the stack's "
            f"tasks ({', '.join(z.zone_id for z in usable) or 'none'}; left out: "
            f"{', '.join(left_out) or 'none'}); lower the zone count"
        )
    return usable[:count]
