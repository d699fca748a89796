"""Which zone a DNS name belongs to."""

import pytest

from components._shared.dns import within_zone


@pytest.mark.parametrize(
    ("name", "zone", "within"),
    [
        ("example.com", "example.com", True),
        ("tw.example.com", "example.com", True),
        ("a.b.example.com", "example.com", True),
        ("badexample.com", "example.com", False),
        ("example.com", "tw.example.com", False),
        ("example.org", "example.com", False),
    ],
)
def test_a_name_is_within_a_zone_when_it_is_the_zone_or_under_it(name, zone, within):
    assert within_zone(name, zone) is within
