"""YAML read as go-yaml v3 reads it into ``any`` (``resolve``, resolve.go), the library the
Pulumi CLI reads stack files with."""

import pytest

from stack.go_encoding import go_yaml_scalar


@pytest.mark.parametrize(
    ("text", "value"),
    [("2", 2), ("+2", 2), ("0x1F", 31), ("0o17", 15), ("0777", 511), ("1_000", 1000),
     ("2.5", 2.5), (".5", 0.5), ("1e3", 1000.0), ("true", True), ("False", False),
     ("yes", "yes"), ("off", "off"), ("17:00", "17:00"), ("2026-01-02", "2026-01-02"),
     ("~", None), ("", None), ("null", None), ("10.0.0.0/16", "10.0.0.0/16")],
)  # fmt: skip
def test_plain_scalars_resolve_as_go_yaml_v3_resolves_them(text, value):
    assert go_yaml_scalar(text) == value
    assert type(go_yaml_scalar(text)) is type(value)
