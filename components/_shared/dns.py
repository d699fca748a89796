"""DNS names as Route53 holds them: which zone a name belongs to."""


def within_zone(name: str, zone: str) -> bool:
    """``name`` is the zone itself or a name under it (``tw.example.com`` in ``example.com``)."""
    return name == zone or name.endswith("." + zone)
